"""pylti1p3's tool configuration, read from the registered platforms in the database."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy.orm import Session

from quiz.lti import keys
from quiz.models import LtiPlatform


def registration_for(platform: LtiPlatform, private: str, public: str) -> Registration:
    """The library's view of one platform, signing with the tool's current key."""
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
        .set_key_set(platform.key_set or None)
        .set_tool_private_key(private)
        .set_tool_public_key(public)
    )
    if platform.auth_audience:
        registration.set_auth_audience(platform.auth_audience)
    return registration


class DatabaseToolConf(ToolConfAbstract[Any]):
    """Every issuer may hold many client ids (one per registration), as LTI 1.3 allows."""

    def __init__(self, session: Session, secret: str | bytes) -> None:
        super().__init__()
        self.session = session
        self.secret = secret
        self.platform: LtiPlatform | None = None  # the one the last lookup found

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        query = sa.select(LtiPlatform).where(LtiPlatform.issuer == iss)
        if client_id:
            query = query.where(LtiPlatform.client_id == client_id)
        rows = list(self.session.scalars(query.order_by(LtiPlatform.id).limit(2)))
        # Without a client id (an older platform's login) only an unambiguous issuer answers.
        if len(rows) != 1:
            return None
        return rows[0]

    def _registration(self, platform: LtiPlatform | None) -> Registration | None:
        self.platform = platform
        if platform is None:
            return None
        key = keys.current_key(self.session, self.secret)
        return registration_for(platform, keys.private_pem(key, self.secret), key.public_pem)

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        return self._registration(self._platform(iss, None))  # type: ignore[return-value]

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration:
        return self._registration(self._platform(iss, client_id))  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        platform = self._platform(iss, client_id or None)
        if platform is None or deployment_id not in platform.deployments():
            return None
        return Deployment().set_deployment_id(deployment_id)

    def platform_for(self, iss: str, client_id: str) -> LtiPlatform | None:
        """The registered platform a validated launch came from."""
        return self._platform(iss, client_id)
