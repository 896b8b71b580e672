using ImapRx.Configuration;

namespace ImapRx.Tests.Configuration;

public sealed class ImapAccountOptionsTests
{
    private static ImapAccountOptions Valid() => new("imap.example.com", "ann@example.com", ImapCredential.FromPassword("s3cret-Pa55"));

    public static TheoryData<string, Action> BadValues => new()
    {
        { "Port", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { Port = 70000 } },
        { "Port", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { Port = -1 } },
        { "host", () => _ = new ImapAccountOptions("", "u", ImapCredential.FromPassword("p")) },
        { "host", () => _ = new ImapAccountOptions("bad host", "u", ImapCredential.FromPassword("p")) },
        { "username", () => _ = new ImapAccountOptions("h", "", ImapCredential.FromPassword("p")) },
        { "username", () => _ = new ImapAccountOptions("h", "u\r\nA1 LOGOUT", ImapCredential.FromPassword("p")) },
        { "Encryption", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { Encryption = (ImapEncryption)42 } },
        { "Timeout", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { Timeout = TimeSpan.Zero } },
        { "IdleTimeout", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { IdleTimeout = TimeSpan.FromMinutes(30) } },
        { "MaxRetries", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { MaxRetries = -1 } },
        { "RetryDelay", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { RetryDelay = TimeSpan.FromHours(1) } },
        { "MaxConnections", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { MaxConnections = 0 } },
        { "MaxConnections", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { MaxConnections = 10_001 } },
        { "LeaseTimeout", () => _ = new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { LeaseTimeout = TimeSpan.Zero } },
        { "password", () => ImapCredential.FromPassword("") },
        { "accessToken", () => ImapCredential.FromAccessToken("") },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Construct_BadValue_ThrowsArgumentExceptionNamingIt(string parameter, Action construct)
    {
        var error = Assert.ThrowsAny<ArgumentException>(construct);

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Defaults_AreTheSpecsValues()
    {
        var options = Valid();

        Assert.Equal(993, options.Port);
        Assert.Equal(ImapEncryption.Tls, options.Encryption);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(900), options.IdleTimeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RetryDelay);
        Assert.Equal(3, options.MaxConnections);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ConnectionIdleLifetime);
        Assert.Equal(143, new ImapAccountOptions("h", "u", ImapCredential.FromPassword("p")) { Encryption = ImapEncryption.StartTls }.Port);
    }

    [Fact]
    public void ToString_Credentials_NeverShowTheSecret()
    {
        var token = ImapCredential.FromAccessToken("ya29.secret-token");

        Assert.DoesNotContain("s3cret-Pa55", Valid().ToString());
        Assert.DoesNotContain("secret-token", new ImapAccountOptions("h", "u", token).ToString());
        Assert.Contains("****", Valid().ToString());
    }
}
