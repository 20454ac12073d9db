"""Fixed Japanese replies of the task flows (FAQ answers live in data/knowledge/)."""
from __future__ import annotations

EMAIL_FORMAT = "メールアドレスの形式になっていないようです。taro@example.jp のように、@ を含めて入力してください。"
BIRTHDATE_FORMAT = "生年月日は 2010年4月1日 のように入力してください。（平成22年4月1日、2010/4/1 でも大丈夫です）"
BIRTHDATE_IMPOSSIBLE = "その日付は暦にないようです。生年月日は 2010年4月1日 のように入力してください。"
BIRTHDATE_FUTURE = "生年月日が今日より後の日付になっています。もう一度、2010年4月1日 のように入力してください。"
PHONE_FORMAT = "電話番号は 090-1234-5678 のように、市外局番（0から始まる番号）から入力してください。"
HOW_TO_STOP = "お手続きをやめる場合は「やめる」、ご登録の内容が分からない場合は「担当者と話したい」と送ってください。"
FACTOR_NAMES = {"email": "メールアドレス", "birthdate": "生年月日", "phone_number": "電話番号"}
# What each factor is, for a member who asks before answering.
FACTOR_HELP = {
    "email": "ご登録のメールアドレスは、入会やWeb登録のときに届け出て、お知らせメールが届いているアドレスです。",
    "birthdate": (
        "会員ご本人、つまりサービスを利用している方の生年月日です。"
        "お子さまが会員の場合はお子さまの生年月日を入力してください。"
        "西暦（2010年4月1日、2010/4/1）でも和暦（平成22年4月1日）でも入力できます。"
    ),
    "phone_number": "ご登録の電話番号は、入会のときに届け出た連絡先の電話番号（携帯電話でも固定電話でも）です。",
}
FACTOR_NOT_KNOWN = (
    "承知しました。ご登録の{item}が分からない場合は、このチャットではお手続きを進められないため、"
    "いったん終了します。{contact}このチャットで担当者と話す場合は「担当者と話したい」と送ってください。"
)
NOT_KNOWN_BY_PHONE = "お電話（{phone}、{hours}）なら、ご本人確認のうえご案内できます。"
NOT_KNOWN_BY_FORM = "{form}からもお問い合わせいただけます。"
CONFIRM_REISSUE = "「はい」か「いいえ」でお答えください。再発行すると今の番号は使えなくなります。"
PASSWORD_WARNING = (
    "パスワードや暗証番号はチャットに入力しないでください。いま入力された部分は保存せずに破棄しました。"
    "念のため、あとでパスワードの変更をおすすめします。"
)
TOO_LONG = "メッセージがとても長いため、ご用件をうまく読み取れていないかもしれません。お手数ですが、ひとことで短く送っていただけると助かります。"

MISMATCH = "ご登録の情報と一致しませんでした。お手数ですが、メールアドレスからもう一度入力してください。（あと{remaining}回まで確認できます）"
EXHAUSTED = (
    "本人確認を続けて{limit}回お受けできなかったため、このチャットでの確認はここまでとさせてください。"
    "担当スタッフへ引き継ぎます。"
)
LOCKED = (
    "確認に続けて失敗したため、安全のため本人確認を一時的に停止しています。"
    "{minutes}分ほど時間をおいてから、もう一度お試しください。"
)
AMBIGUOUS = "入力された情報だけではご本人を特定できませんでした。担当スタッフが確認しますので、引き継ぎます。"

REVEAL_MASKED = (
    "ご本人確認ができました。{label}は「{masked}」です（一部を伏せています）。"
    "全桁はご登録のメールアドレス（{email}）へお送りしました。"
)
REVEAL_MAIL_ONLY = "ご本人確認ができました。{label}はご登録のメールアドレス（{email}）へお送りしました。"
REVEAL_ALREADY_SENT = "{label}はこの会話ですでにメール（{email}）でお送りしています。届いていない場合は迷惑メールフォルダもご確認ください。"
ACCOUNT_SUSPENDED = "このアカウントはチャットではお手続きできない状態です。担当スタッフへ引き継ぎます。"
NEXT_STEP = "ほかにお手伝いできることがあれば、続けて入力してください。"

REISSUE_DONE = "新しい{label}を発行しました。新しい番号は「{masked}」です（一部を伏せています）。全桁はご登録のメールアドレスへお送りしました。以前の番号はもう使えません。"
REISSUE_POSTED = "あわせて{items}をご登録の住所へ郵送します。届くまで1週間ほどかかります。"
REISSUE_ALREADY = "{label}はつい先ほど再発行したばかりのため、新しい番号は増やしていません。最新の番号はご登録のメールアドレスに届いたお知らせでご確認ください。"
REISSUE_DECLINED = "承知しました。再発行は行っていません。今の{label}はそのままお使いいただけます。"

RESET_SENT = (
    "ご入力のメールアドレスが登録されていれば、パスワード再設定用のリンクをお送りしました。"
    "リンクの有効期限は{minutes}分です。届かない場合は迷惑メールフォルダもご確認ください。"
)
RESET_NOT_REMOTE = (
    "{name}の暗証番号は、チャットやお電話、メールでは再設定できません。"
    "{places}でお手続きください。本人確認書類とカードをお持ちいただくとスムーズです。"
)
RESEND_ACCEPTED = (
    "ご入力のメールアドレスで仮登録されていれば、登録メールをもう一度お送りしました。"
    "件名「{subject}」のメールを探してください。再送は1時間に{limit}回までです。"
)

OFFER_RESET = "パスワードを再設定するためのリンクを、ご登録のメールアドレスへお送りできます。手続きしますか？"
OFFER_PIN_PLACES = "暗証番号が分からない場合は、{places}で再設定できます（チャットやお電話ではできません）。手続きの流れをご案内しましょうか？"

HANDOFF_PHONE = "お急ぎの場合はお電話（{phone}、{hours}）でもご相談いただけます。"
MAIL_DECLINED = "承知しました。メールはお送りしません。ほかにお手伝いできることがあれば、続けて入力してください。"
CANCELLED_ON_LEAVING = "途中のお手続きは中止し、入力いただいた内容は破棄しました。"
CANCELLED_FLOW = "手続きを中止しました。入力いただいた内容は破棄しています。ほかにお手伝いできることはありますか？"
EMPTY_MESSAGE = "メッセージが空のようです。お困りのことを入力してください。"
SECOND_FALLBACK = "うまくお答えできず申し訳ありません。担当スタッフにおつなぎします。"

POSTAL_NAMES = {"sticker": "会員番号シール", "notice": "お知らせはがき"}

# Buttons offered when the assistant is unsure (intent -> label).
TOPIC_BUTTONS = {
    "forgot_number": "番号が分からない",
    "where_is_number": "番号の記載場所を知りたい",
    "mail_not_arriving": "メールが届かない",
    "login_failed": "ログインできない",
    "forgot_password": "パスワードを忘れた",
    "account_locked": "ロックされた",
    "reissue_number": "番号を再発行したい",
    "how_to_register": "登録方法を知りたい",
    "contact_support": "問い合わせ先を知りたい",
    "change_registration": "登録内容を変えたい",
    "withdraw": "退会したい",
    "id_difference": "番号やIDの違い",
    "number_validity": "番号の有効期限",
    "email_already_registered": "登録済みと表示される",
    "human_handoff": "担当者と話したい",
}
