"""What a send costs us besides the HTTP request: aiogram's models are built once, not per send."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from aiogram.methods import GetUpdates, Response, SendMessage

from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import Chat, labels


async def test_a_garbage_collection_between_replies_does_not_make_aiogram_rebuild_its_answer_model(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    # aiogram parses each Bot API answer with a pydantic generic model that pydantic caches only while
    # something refers to it; a collection used to free it, and the next send spent ~4 ms building it again.
    await chat.says("/start")
    models = [weakref.ref(Response[m.__returning__]) for m in (SendMessage, GetUpdates)]  # type: ignore[name-defined]
    gc.collect()
    assert all(model() is not None for model in models)

    [consent] = await chat.says("English")

    assert labels(consent) == ["I agree", "I do not agree"]
    assert Response[SendMessage.__returning__] is models[0]()  # type: ignore[name-defined]
