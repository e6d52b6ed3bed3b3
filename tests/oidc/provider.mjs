// A real OpenID Connect provider for the sign-in tests: the certified `oidc-provider` package,
// listening on 127.0.0.1 at the port given (printed as "listening <issuer>" on stdout).
//
// Usage: node provider.mjs <port> <client_id> <client_secret> <redirect_uri> <post_logout_redirect_uri>
//
// The tests steer it through one test-only endpoint, GET /test/next?account=<json>&tamper=<mode>:
// - `account`: the claims of the person who signs in next (no login form: the interaction is
//   finished at once for that account, consent granted);
// - `tamper`: make the next ID token from the token endpoint bad, re-signed by this provider:
//   "aud" (another audience, signed with the provider's real key), "exp" (expired an hour ago, real
//   key), "sig" (signed by a key the provider does not publish, under the published key id).
//   The provider itself never issues such tokens, so they are made here, after its token endpoint.
import * as jose from 'jose';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri, postLogoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const privateJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const { privateKey: strangerKey } = await jose.generateKeyPair('RS256');

const accounts = new Map();
let nextAccount = null;
let tamper = null;

const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [privateJwk] },
  claims: {
    // `_claim_names`/`_claim_sources`: Entra's groups overage (too many groups to list in the token).
    openid: ['sub', 'oid', 'tid', 'groups', '_claim_names', '_claim_sources'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  // As Microsoft Entra ID does: the claims asked for are in the ID token itself.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource: async (ctx, form) => { ctx.body = `<html><body>${form}<script>document.forms[0].submit()</script></body></html>`; } },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, async claims() { return { ...claims, sub }; } };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    // A first-party client: consent is implied.
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
};

const provider = new Provider(issuer, configuration);

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/next') {
    const account = JSON.parse(ctx.query.account);
    accounts.set(account.sub, account);
    nextAccount = account.sub;
    tamper = ctx.query.tamper || null;
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const result = details.prompt.name === 'login'
      ? { login: { accountId: nextAccount } }
      : { consent: {} };
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper && ctx.body && ctx.body.id_token) {
    const mode = tamper;
    tamper = null;
    const claims = jose.decodeJwt(ctx.body.id_token);
    const now = Math.floor(Date.now() / 1000);
    if (mode === 'aud') claims.aud = 'another-application';
    if (mode === 'exp') { claims.iat = now - 7200; claims.exp = now - 3600; }
    const key = mode === 'sig' ? strangerKey : privateKey;
    ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid }).sign(key) };
  }
});

provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${issuer}\n`));
