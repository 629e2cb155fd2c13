"""Round 9 of issue #13 (branch round9-recall): general causes of misses and of serious messages not put in
`case`, read from blind set 10 (spent), each a family in six languages with hard negatives.

The sentences are our own probes, not the set's: each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# Blood results quoted without their range (the round-8 open family): clearly abnormal values are cases, also
# when a carer quotes a relative's result.
LAB_OUT_OF_RANGE = [
    ("en", "got my bloods back, platelet count 62 and they want a repeat"),
    ("en", "my a1c is 10.1 even on the higher dose"),
    ("en", "my husband's ALT came back at 240 on his new tablets"),
    ("en", "neutrophils 0.7 this week, clinic called"),
    ("es", "me salieron las plaquetas en 70 en el análisis"),
    ("es", "la hemoglobina glicosilada me dio 9,8 con la insulina nueva"),
    ("es", "las transaminasas en 210, el médico quiere repetir"),
    ("fr", "prise de sang : plaquettes à 55"),
    ("fr", "mon hémoglobine glyquée est à 9,6 malgré le stylo"),
    ("fr", "ma créatinine est montée à 2,6 depuis le début du traitement"),
    ("de", "Laborwerte da, Thrombozyten nur 58"),
    ("de", "Langzeitzucker immer noch 9,9 trotz der Spritze"),
    ("de", "meine Leberwerte: GPT 260, der Arzt will nochmal messen"),
    ("pt", "fiz exame, as plaquetas deram 64"),
    ("pt", "a hemoglobina glicada continua em 10,2 mesmo com a caneta"),
    ("pt", "TGP 190 no último exame de sangue"),
    ("ar", "طلعت الصفائح 60 في التحليل الاخير"),
    ("ar", "السكر التراكمي لسه 10 رغم الحقن"),
    ("ar", "انزيمات الكبد 220 في التحليل"),
]

# ... values inside their range, or a result that came down into it, are reported as fine.
LAB_IN_RANGE = [
    ("en", "bloods fine, platelets 240 and a1c 6.4"),
    ("en", "my a1c went from 9.5 down to 6.9, the nurse was pleased"),
    ("es", "hemoglobina glicosilada 6,8, muy contenta"),
    ("fr", "hémoglobine glyquée à 6,5, la diabéto est ravie"),
    ("de", "HbA1c 6,7, alles im grünen Bereich"),
    ("pt", "hemoglobina glicada 6,9, a médica gostou"),
    ("ar", "السكر التراكمي 6.5 والدكتور مبسوط"),
]


@pytest.mark.parametrize(("lang", "text"), LAB_OUT_OF_RANGE)
def test_a_lab_value_far_out_of_range_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), LAB_IN_RANGE)
def test_a_lab_value_in_range_is_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


def test_a_longer_lab_word_reads_its_own_value() -> None:
    # "hemoglobina" inside "hemoglobina glicada 7,5" is not a haemoglobin of 7.5 g/dL
    assert _lexicon("hemoglobina glicada 7,5, tudo bem", "pt").tier == "clear"
    assert _lexicon("hemoglobina 7,1 no exame de ontem", "pt").tier == "case"
