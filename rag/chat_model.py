"""The only adapter to an OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp, Ollama, ...).

This is the one module that imports langchain's chat classes, so a library upgrade touches one
file, and every foreign exception is translated here into ``ChatModelError``: callers (the LLM
answerer) only need to catch netral's own error to fall back to the extractive answer.
"""

from __future__ import annotations

import openai
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from rag.errors import ChatModelError, ConfigError
from rag.protocols import ChatModel
from rag.settings import Settings

# Local OpenAI-compatible servers usually ignore the key, but the openai client refuses to
# build without one (and would otherwise pick up a stray OPENAI_API_KEY from the environment).
_NO_KEY = "not-needed"


class LangchainChatModel:
    """``ChatModel`` over ``langchain_openai.ChatOpenAI``. Raises ``ChatModelError`` on any failure."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | SecretStr | None = None,
        timeout_s: float = 20.0,
        temperature: float = 0.0,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.timeout_s = timeout_s
        raw_key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        try:
            self._llm = ChatOpenAI(
                model=model,
                base_url=base_url,
                api_key=SecretStr(raw_key or _NO_KEY),
                timeout=timeout_s,
                temperature=temperature,
                # No retries: a slow or failing model must hand over to the extractive answer
                # within one timeout, not three; the user is waiting in a chat.
                max_retries=0,
                # Chat Completions is what every OpenAI-compatible server speaks; without this,
                # langchain may switch to the Responses API for some model names.
                use_responses_api=False,
                streaming=False,
            )
        except Exception as exc:  # pydantic/openai validation of the settings
            raise ConfigError(f"cannot configure the LLM client: {type(exc).__name__}") from exc

    def complete(self, system: str, user: str) -> str:
        try:
            message = self._llm.invoke([SystemMessage(content=system), HumanMessage(content=user)])
        except openai.APITimeoutError as exc:
            raise ChatModelError(f"LLM timed out after {self.timeout_s:g} s") from exc
        except openai.APIConnectionError as exc:
            raise ChatModelError(f"LLM unreachable at {self.base_url}") from exc
        except openai.APIStatusError as exc:
            raise ChatModelError(f"LLM returned HTTP {exc.status_code}") from exc
        except openai.OpenAIError as exc:
            raise ChatModelError(f"LLM error: {type(exc).__name__}") from exc
        except Exception as exc:
            # Anything else (a malformed response the client cannot parse, a langchain
            # validation error) is still "the optional LLM failed": translate it so the caller
            # falls back instead of crashing the bot.
            raise ChatModelError(f"LLM call failed: {type(exc).__name__}") from exc
        text = str(message.text).strip()
        if not text:
            raise ChatModelError("LLM returned an empty reply")
        return text


def make_chat_model(settings: Settings) -> ChatModel:
    """The chat model configured by ``NETRAL_LLM_*``. Raises ``ConfigError`` when unconfigured."""
    if not settings.llm_base_url or not settings.llm_model:
        raise ConfigError("the LLM answer mode needs NETRAL_LLM_BASE_URL and NETRAL_LLM_MODEL")
    return LangchainChatModel(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout_s,
        temperature=settings.llm_temperature,
    )
