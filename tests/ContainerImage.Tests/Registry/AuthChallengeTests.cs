using ContainerImage.Registry;

namespace ContainerImage.Tests.Registry;

[TestClass]
public sealed class AuthChallengeTests
{
    [TestMethod]
    public void ParsesABearerChallengeWithACommaInTheScope()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");
        Assert.IsTrue(challenge.IsBearer);
        Assert.AreEqual("https://auth.example/token", challenge["realm"]);
        Assert.AreEqual("registry.example", challenge["service"]);
        Assert.AreEqual("repository:a/b:pull,push", challenge["scope"]);
    }

    [TestMethod]
    public void ParsesUnquotedValuesSpacesAndEscapes()
    {
        var challenge = AuthChallenge.Parse("Basic", " realm=plain , other=\"a\\\"b\"");
        Assert.IsTrue(challenge.IsBasic);
        Assert.AreEqual("plain", challenge["realm"]);
        Assert.AreEqual("a\"b", challenge["other"]);
        Assert.IsNull(challenge["scope"]);
    }

    [TestMethod]
    public void PrefersBearerOverBasic()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"x\"");
        response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://a/t\"");
        Assert.IsTrue(AuthChallenge.Select(response.Headers.WwwAuthenticate)!.IsBearer);
    }
}
