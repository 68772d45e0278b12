"""The municipality's single sign-on by OpenID Connect, through Authlib: discovery, the
authorization-code flow with PKCE (S256), and the ID token checked (signature by the provider's
keys, issuer, audience, expiry, nonce) before its e-mail claims are believed.

Authlib keeps the handshake's state in `request.session`; the console has no cookie session, so
`web.routes_auth` puts a plain dict there, stored server side in `sign_in_flow` between the two legs.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from fastapi import Request

from bot.settings import Settings

__all__ = ["claims_of", "client"]


def client(settings: Settings) -> StarletteOAuth2App:
    assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
    oauth = OAuth()
    oauth.register(
        "municipality",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "token_endpoint_auth_method": "client_secret_basic", "timeout": 15},
    )
    return oauth.create_client("municipality")  # type: ignore[no-any-return]


async def claims_of(app: StarletteOAuth2App, request: Request) -> dict[str, Any]:
    """The claims of the signed-in user: the ID token's, completed from the userinfo endpoint when the
    provider keeps `email` out of the ID token (as many do by default)."""
    metadata = await app.load_server_metadata()
    token = await app.authorize_access_token(request, claims_options={
        "iss": {"essential": True, "values": [metadata["issuer"]]}})
    claims: dict[str, Any] = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise ValueError("no ID token in the answer")
    if "email" not in claims or "email_verified" not in claims:
        extra = dict(await app.userinfo(token=token))
        if extra.get("sub") != claims["sub"]:  # OIDC Core 5.3.2: the userinfo must be the same user's
            raise ValueError("userinfo for another subject")
        claims.update({k: extra[k] for k in ("email", "email_verified") if k in extra})
    return claims
