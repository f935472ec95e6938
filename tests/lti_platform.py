"""A real LTI 1.3 platform for the tests: lti1p3platform signs the launches and checks the
tool's service tokens; its JWKS, token, score and membership endpoints are served over HTTP on
127.0.0.1 by werkzeug in a thread. The browser's part (login redirect, form post) is played
with the Flask test client."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as PlatformRequest
from lti1p3platform.response import Response as PlatformResponse
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "quiz-tool-client"
DEPLOYMENT = "deployment-1"
ISSUER = "https://lms.test.example"
LTI_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR = LTI_ROLE + "Instructor"
LEARNER = LTI_ROLE + "Learner"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


def rsa_pems() -> tuple[str, str]:
    """A fresh RSA key pair as (private, public) PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class PlatformConf(LTI1P3PlatformConfAbstract):
    """lti1p3platform's platform, holding one registration of the tool."""

    def init_platform_config(self, **kwargs: Any) -> None:
        self.registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self.registration


class WerkzeugRequest(PlatformRequest):
    """The platform library's request, read from a werkzeug request."""

    def build_metadata(self, request: Request) -> Any:
        body = request.get_data(as_text=True)
        return {
            "method": request.method,
            "form_data": dict(request.form),
            "get_data": dict(request.args),
            "headers": request.headers,
            "content_type": request.content_type,
            "path": request.path,
            "json": json.loads(body) if body and not request.form else None,
        }


@dataclass
class Gradebook:
    """What the platform received and what its roster holds."""

    scores: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    context_id: str = "course-1"


def _services(platform: Platform, request: Request) -> PlatformResponse:
    """Route one service request to the platform library's handlers."""
    preq = WerkzeugRequest(request)
    conf = platform.conf
    conf.get_registration()
    if request.path.endswith("/scores"):
        line_item = request.path.split("/")[-2]
        return Ags(platform, preq, conf, f"{platform.url}/lineitems").handle_update_score(line_item)
    return Nrps(platform, preq, conf, f"{platform.url}/memberships").handle_get_members()


class Ags(AssignmentsGradesService):
    """The platform's gradebook: records every score posted to a line item."""

    def __init__(self, platform: Platform, *args: Any) -> None:
        super().__init__(*args)
        self.platform = platform

    def find_lineitems(self, page: int = 1, limit: int | None = None) -> Any:
        return {"content": [], "has_next": False}

    def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
        self.platform.book.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def get_results(self, *args: Any, **kwargs: Any) -> Any:
        return {"content": [], "has_next": False}

    def find_lineitem(self, line_item_id: str) -> Any:
        return {"id": line_item_id}

    def create_lineitem(self, lineitem: Any) -> Any:
        return lineitem

    def update_lineitem(self, lineitem: Any) -> Any:
        return lineitem

    def delete_lineitem(self, line_item_id: str) -> None:
        return None


class Nrps(NamesRoleProvisioningService):
    """The platform's course roster."""

    def __init__(self, platform: Platform, *args: Any) -> None:
        super().__init__(*args)
        self.platform = platform

    def get_member_data_page(self, **kwargs: Any) -> Any:
        return {"content": list(self.platform.book.members), "has_next": False}

    def get_context_by_id(self) -> Context:
        return Context(id=self.platform.book.context_id, label="C1", title="Course one")


class Platform:
    """The platform and its HTTP server; `jwks_override` serves other keys than its own."""

    def __init__(self, tool: str = "http://localhost") -> None:
        self.tool = tool  # where the tool answers, as the browser reaches it
        self.people: dict[str, Person] = {}  # login_hint -> who, for launches from a browser
        self.launch_options: dict[str, Any] = {}  # signed_launch's keywords for /auth
        self.deep_link_items: list[dict[str, Any]] = []
        self.private, self.public = rsa_pems()
        self.book = Gradebook()
        self.jwks_override: dict[str, Any] | None = None
        self.scores_down = False  # the gradebook answers 503, as an LMS under maintenance
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.conf = PlatformConf(registration=self.registration())

    def registration(self, **changes: Any) -> Registration:
        """The platform's registration of the tool (the tool's URLs as the test client sees)."""
        reg = (
            Registration()
            .set_iss(changes.get("iss", ISSUER))
            .set_client_id(changes.get("client_id", CLIENT_ID))
            .set_deployment_id(changes.get("deployment_id", DEPLOYMENT))
            .set_oidc_login_url(f"{self.tool}/lti/login")
            .set_launch_url(f"{self.tool}/lti/launch")
            .set_deeplink_launch_url(f"{self.tool}/lti/launch")
            .set_platform_public_key(changes.get("public", self.public))
            .set_platform_private_key(changes.get("private", self.private))
        )
        return reg

    def jwks(self) -> dict[str, Any]:
        """The platform's published keys."""
        return self.jwks_override or {"keys": [Registration.get_jwk(self.public)]}

    @Request.application
    def wsgi(self, request: Request) -> Response:
        """JWKS, token, scores and memberships over HTTP."""
        if request.path == "/jwks":
            return Response(json.dumps(self.jwks()), mimetype="application/json")
        if request.path == "/token":
            self.conf.get_registration()
            token = self.conf.get_access_token(dict(request.form))
            return Response(json.dumps(token), mimetype="application/json")
        if request.path == "/auth":  # the browser's OIDC redirect: answer with a launch form
            preflight = dict(request.args)
            message = build_launch(self, preflight, self.people[preflight["login_hint"]])
            form = message.lti_launch()
            return Response(launch_page(form), mimetype="text/html")
        if request.path == "/deep-link-return":
            self.deep_link_items = self.conf.validate_deeplinking_resp(dict(request.form))
            return Response(
                "<!doctype html><title>LMS</title><p>Link added.</p>", mimetype="text/html"
            )
        if not (request.path.endswith("/scores") or request.path == "/memberships"):
            return Response("", status=204)  # the browser's favicon and the like
        if self.scores_down and request.path.endswith("/scores"):
            return Response("maintenance", status=503)
        try:
            answer = _services(self, request)
        except Exception as error:  # shown in the test's output, answered as the LMS would
            import traceback

            traceback.print_exc()
            return Response(str(error), status=getattr(error, "status_code", 500))
        body = json.dumps(answer.result) if answer.result is not None else ""
        return Response(body, status=answer.code, mimetype="application/json")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)

    def trust_tool(self, client: FlaskClient) -> None:
        """Give the platform the tool's JWKS, as an admin pastes or the LMS fetches it."""
        self.conf.registration.set_tool_key_set(client.get("/lti/jwks").get_json())

    def platform_fields(self) -> dict[str, str]:
        """What an admin types into the tool's platform form."""
        return {
            "name": "Test LMS",
            "issuer": ISSUER,
            "client_id": CLIENT_ID,
            "deployment_ids": DEPLOYMENT,
            "auth_login_url": f"{self.url}/auth",
            "auth_token_url": f"{self.url}/token",
            "key_set_url": f"{self.url}/jwks",
        }


class Launcher(LTIAdvantageMessageLaunchAbstract):
    """One launch message, answering the tool's OIDC redirect (the preflight)."""

    def __init__(self, preflight: dict[str, str], conf: PlatformConf) -> None:
        super().__init__(None, conf)  # type: ignore[arg-type]
        self.preflight = preflight

    def get_preflight_response(self) -> dict[str, str]:
        return self.preflight

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> Any:
        return launch_data


@dataclass
class Person:
    """Who launches: a platform user id, a name and their roles in the course."""

    sub: str
    name: str
    roles: list[str]
    email: str = ""


def login_redirect(client: FlaskClient, platform: Platform, hint: str) -> dict[str, str]:
    """The tool's answer to OIDC login initiation: the auth request's parameters."""
    reply = client.get(
        "/lti/login",
        query_string={
            "iss": ISSUER,
            "login_hint": hint,
            "target_link_uri": f"{platform.tool}/lti/launch",
            "lti_message_hint": "msg",
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT,
        },
    )
    assert reply.status_code == 302, reply.get_data(as_text=True)
    location = reply.headers["Location"]
    assert location.startswith(f"{platform.url}/auth?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def launch_page(form: dict[str, str]) -> str:
    """The platform's page that posts the launch to the tool (a button: no script needed)."""
    return (
        '<!doctype html><html lang="en"><title>LMS</title><form method="post" '
        f'action="{form["launch_url"]}"><input type="hidden" name="id_token" '
        f'value="{form["id_token"]}"><input type="hidden" name="state" value="{form["state"]}">'
        '<button type="submit">Open the tool</button></form></html>'
    )


def build_launch(
    platform: Platform,
    preflight: dict[str, str],
    person: Person,
    *,
    context: str = "course-1",
    link: str | None = "link-1",
    custom: dict[str, str] | None = None,
    deep_link: bool = False,
    conf: PlatformConf | None = None,
    expires_in: int = 300,
    lineitem: str = "item-1",
) -> Launcher:
    """The platform's launch message for one person, answering the tool's login redirect."""
    options = {**platform.launch_options}
    context = options.get("context", context)
    link = options.get("link", link)
    custom = options.get("custom", custom)
    deep_link = options.get("deep_link", deep_link)
    message = Launcher(preflight, conf or platform.conf)
    message.id_token_expiration = expires_in
    message.set_user_data(person.sub, person.roles, person.name, person.email or None)
    message.set_launch_context_claim(context, context_title=f"Course {context}")
    if link:
        message.set_resource_link_claim(link)
    if custom:
        message.set_custom_parameters_claim(custom)
    message.set_ags(
        f"{platform.url}/lineitems", f"{platform.url}/lineitems/{lineitem}", True, True, True
    )
    message.set_nrps(f"{platform.url}/memberships")
    if deep_link:
        message.set_dl(f"{platform.url}/deep-link-return", accept_types={"ltiResourceLink"})
    return message


def signed_launch(
    client: FlaskClient,
    platform: Platform,
    person: Person,
    *,
    context: str = "course-1",
    link: str | None = "link-1",
    custom: dict[str, str] | None = None,
    deep_link: bool = False,
    conf: PlatformConf | None = None,
    expires_in: int = 300,
    lineitem: str = "item-1",
    aud: str | None = None,
) -> dict[str, str]:
    """Log in through the tool and return the platform's signed launch form (id_token, state).

    `conf` signs with another registration (keys, deployment, client id); `aud` is the client
    id that registration names, put in the login answer too so the platform library goes on."""
    preflight = login_redirect(client, platform, person.sub)
    if aud is not None:
        preflight["client_id"] = aud
    message = build_launch(
        platform,
        preflight,
        person,
        context=context,
        link=link,
        custom=custom,
        deep_link=deep_link,
        conf=conf,
        expires_in=expires_in,
        lineitem=lineitem,
    )
    form = message.lti_launch()
    assert form["launch_url"] == f"{platform.tool}/lti/launch"
    return {"id_token": form["id_token"], "state": form["state"]}


def tampered(token: str, **claims: Any) -> str:
    """The token with its payload claims changed and the platform's signature kept."""
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body.update(claims)
    raw = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"{header}.{raw}.{signature}"


def new_id() -> str:
    """A unique id for a platform object."""
    return uuid.uuid4().hex[:12]


def serve(tool: str = "http://localhost") -> Iterator[Platform]:
    """A running platform, stopped afterwards (for a fixture)."""
    platform = Platform(tool)
    platform.start()
    try:
        yield platform
    finally:
        platform.stop()
