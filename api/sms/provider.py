"""What every SMS provider is: something that sends a named template with its parameters to a phone."""
from typing import Protocol


class SmsError(Exception):
    """The provider refused the message, failed, or did not answer in time; `code` says which
    (the provider's own code where it gave one, `timeout`, `unreachable`, `bad_answer`, `no_template`)."""

    def __init__(self, code: str, message: str = ""):
        code, message = code[:64], message[:300]  # a provider's answer is logged: bounded
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code

    @classmethod
    def said(cls, part: dict) -> "SmsError":
        """The refusal a provider's answer says in `part`: its `Code` and `Message`."""
        return cls(str(part.get("Code") or "bad_answer"), str(part.get("Message") or ""))


class Provider(Protocol):
    def send(self, phone: str, template: str, params: dict[str, str]) -> None:
        """Send `template` with `params` to `phone`, or raise SmsError."""
