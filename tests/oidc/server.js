// A real OpenID Connect provider for the sign-in browser test (tests/test_browser_signin.py):
// oidc-provider on 127.0.0.1 with one confidential client and two people. Its development
// login form accepts any password; the login name picks the account.
//
//   node server.js PORT REDIRECT_URI
//
// Prints "ready" once it listens. For tests only: nothing here is fit for real sign-in.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
if (!port || !redirectUri) {
  console.error("usage: node server.js PORT REDIRECT_URI");
  process.exit(2);
}

const PEOPLE = {
  ana: { email: "ana@example.com", email_verified: true, name: "Ana Silva", groups: ["trainer-maintainers"] },
  ben: { email: "ben@example.com", email_verified: true, name: "Ben Ode", groups: [] },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: "trainer",
      client_secret: "trainer-test-secret",
      redirect_uris: [redirectUri],
      // st.logout ends the provider's session too, then comes back here.
      post_logout_redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "groups"],
  },
  // Streamlit reads the person from the ID token, so the scope's claims go into it too.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...person }; } };
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ["only-for-tests"] },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
