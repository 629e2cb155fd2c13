"""One variant per locale: `pt` is Brazilian Portuguese and Arabic is the polite plural (أنتم) everywhere,
in the prompts (gettext catalogs) and in the approved modules, so a patient never reads two voices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.config import DEFAULT_LOCALES_DIR
from bot.learn.modules import module_files, read_translation

CONTENT = Path(__file__).resolve().parent.parent / "content"

# European Portuguese words and forms a Brazilian reader would notice (with their Brazilian choice).
EUROPEAN_PORTUGUESE = {
    r"\bfrigor[ií]fico": "geladeira",
    r"\bplanear\b": "planejar",
    r"\befeitos? secund[aá]rios?": "efeito colateral",
    r"\bcontentor": "coletor / recipiente",
    r"\bequipa\b": "equipe",
    r"\btelem[oó]vel": "celular",
    r"\bpequeno-almo[cç]o": "café da manhã",
    r"\bcontact(?:ar|e|á-lo|ou)\b": "entrar em contato",
    r"\bregiste\b": "registre / anote",
    r"\btens[aã]o arterial|\btens[aã]o alta": "pressão arterial",
    r"\becr[aã]\b": "tela",
    r"\butilizador": "usuário",
    r"\bcasa de banho": "banheiro",
    r"\w+-(?:lhe|lo|la|nos)-(?:á|ão|ia|iam)\b": "no mesoclisis (dir-lhe-á)",
    r"\bpara si\b": "para você",
}
# Second person singular in Arabic: the suffix -ك (not -كم) and singular imperatives. Words whose stem
# ends in ك (ذلك "that", هناك "there", توعّك "feeling unwell") are not forms of address.
ARABIC_STEMS_ENDING_IN_KAF = {"ذلك", "لذلك", "بذلك", "كذلك", "وذلك", "هناك", "تلك", "بتوعك", "توعك", "مشترك"}
ARABIC_SINGULAR_IMPERATIVES = {
    "أرسل",
    "اكتب",
    "اختر",
    "اتصل",
    "استمر",
    "احفظ",
    "اطلب",
    "احقن",
    "أخبرنا",
    "تريد",
}
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0670]+")
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670]")


def european_markers(text: str) -> list[str]:
    """The European Portuguese words in `text`, each with the Brazilian word to use."""
    return [
        f"{m.group(0)!r} (use {better})"
        for rx, better in EUROPEAN_PORTUGUESE.items()
        for m in re.finditer(rx, text, re.IGNORECASE)
    ]


def arabic_singular_markers(text: str) -> list[str]:
    """Words of `text` that address the reader in the singular (كَ/كِ, أرسلْ) instead of the polite plural."""
    found = []
    for word in _ARABIC_WORD.findall(_DIACRITICS.sub("", text)):
        if (
            word in ARABIC_SINGULAR_IMPERATIVES
            or word.endswith("ك")
            and word not in ARABIC_STEMS_ENDING_IN_KAF
            and len(word) > 1
        ):
            found.append(word)
    return found


def _catalog_texts(lang: str) -> list[tuple[str, str]]:
    texts = []
    for po in sorted((DEFAULT_LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id:
                    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
                    texts += [(f"{po.name}: {message.id!r}", form) for form in forms]
    return texts


def _module_texts(lang: str) -> list[tuple[str, str]]:
    texts = []
    for path in module_files(CONTENT):
        if path.stem == lang:
            t = read_translation(path)
            quiz = [t.quiz.question, *t.quiz.options, t.quiz.explanation] if t.quiz else []
            texts += [(f"{t.module_id}/{lang}.md", text) for text in (t.title, t.sms, t.body, *quiz)]
    return texts


@pytest.mark.parametrize("source", [_catalog_texts, _module_texts], ids=["catalogs", "modules"])
def test_portuguese_is_brazilian_in_prompts_and_modules(source) -> None:  # type: ignore[no-untyped-def]
    found = {where: european_markers(text) for where, text in source("pt")}
    assert {where: words for where, words in found.items() if words} == {}


@pytest.mark.parametrize("source", [_catalog_texts, _module_texts], ids=["catalogs", "modules"])
def test_arabic_uses_the_polite_plural_in_prompts_and_modules(source) -> None:  # type: ignore[no-untyped-def]
    found = {where: arabic_singular_markers(text) for where, text in source("ar")}
    assert {where: words for where, words in found.items() if words} == {}


def test_the_markers_catch_the_mixes_found_in_the_field_trial() -> None:
    assert european_markers("Guarde as canetas no frigorífico, num contentor; a nossa equipa")
    assert european_markers("Como nos contar um efeito secundário") and european_markers("dir-lhe-á")
    assert not european_markers("Guarde as canetas na geladeira. Nossa equipe lê o seu relato.")
    assert arabic_singular_markers("تذكيراتك متوقفة. أرسل القائمة") == ["تذكيراتك", "أرسل"]
    assert arabic_singular_markers("تذكيراتكم متوقفة. أرسلوا القائمة. لذلك") == []
