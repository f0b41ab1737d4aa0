"""The rule-based moderator: what warns, what flags, what blocks, and what must stay quiet."""

import pytest

from memi.moderation import ALLOW, BLOCK, FLAG, RuleBasedModerator


@pytest.fixture
def check(app):
    moderator = RuleBasedModerator()

    def run(text, listing=False):
        with app.app_context():
            return moderator.check_listing(None, text) if listing else moderator.check_message(None, text)

    return run


@pytest.mark.parametrize(
    "text",
    [
        "Pay here: evil.com/pay",
        "see my shop at cheap-bags.ru",
        "write to seller.bags@gmail.com",
        "Message me on telegram @cheap_bags",
        "t.me/cheapbags",
        "wa.me/79123456789",
        "add me on WhatsApp",
        "Call +7 912 345-67-89",
        "My number is +1 (555) 123-4567",
        "call 050 123 45 67",
        "ring me 12 345 678 90",
        "ring me 912-345-6789",
    ],
)
def test_moving_off_the_platform_warns_the_recipient(check, text):
    decision = check(text)
    assert decision.action == ALLOW and "never pay before" in decision.warning


@pytest.mark.parametrize(
    "text",
    [
        "Send 50 AZN first and I will ship it",
        "please transfer me the money before I send it",
        "pay 20 manat upfront",
        "Əvvəlcə 50 manat göndərin, sonra göndərərəm",
        "qabaqcadan ödəniş lazımdır",
        "Сначала переведите 50 манат на карту",
        "Нужна предоплата",
        "Please send an advance payment",
        "my card 4169 7388 1234 5678",
    ],
)
def test_advance_payment_flags_and_warns(check, text):
    decision = check(text)
    assert decision.action == FLAG and decision.warning


@pytest.mark.parametrize(
    "text",
    [
        "It is 45 AZN, can be 40 AZN",
        "I can pay 45 AZN when we meet",
        "Size 42, EU 38-40, length 60 cm",
        "Is it still available? I live in Baku, near 28 May.",
        "Bought in 2021, worn twice. 100% cotton.",
        "See you at 5 pm at the metro",
        "Send me more photos first please",
        "I saw it on memi.az/products/12, is it the same?",
        "Price 1 200 AZN, final.",
        "Ok. Thanks.Bye",
        "e.g. the blue one",
    ],
)
def test_ordinary_messages_stay_quiet(check, text):
    decision = check(text)
    assert decision.action == ALLOW and decision.warning is None, text


@pytest.mark.parametrize("text", ["Replica bag", "Two replicas of Gucci", "A replica's box", "FAKE DESIGNER shoes"])
def test_banned_words_and_their_inflections_block(check, text):
    assert check(text, listing=True).action == BLOCK
    assert check(text).action == BLOCK


def test_inflections_in_other_languages(app, check):
    app.config["MODERATION_BANNED_WORDS"] = ["реплика", "gun"]
    try:
        assert check("Продаю реплики сумок", listing=True).action == BLOCK
        assert check("two guns", listing=True).action == BLOCK
        assert check("a gunny sack", listing=True).action == ALLOW
    finally:
        app.config["MODERATION_BANNED_WORDS"] = ["replica", "fake designer"]


@pytest.mark.parametrize("text", ["Original bag, not a copy", "Designer coat, real leather", "replicant poster"])
def test_listings_without_banned_words_pass(check, text):
    assert check(text, listing=True).action == ALLOW
