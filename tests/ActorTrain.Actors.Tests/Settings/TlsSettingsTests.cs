using System.Security.Cryptography.X509Certificates;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Tests.Hosting;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

/// <summary>actortrain.cluster.tls: the default, and a clear message naming the key for every bad file or password, before any system starts.</summary>
public sealed class TlsSettingsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    [Fact]
    public void Tls_is_off_by_default()
    {
        Assert.Equal(TlsSettings.Off, ActorTrainSettings.Create(JobConfig.Reference).Cluster.Tls);
    }

    [Fact]
    public void A_good_certificate_and_CA_are_read_as_given()
    {
        var tls = Read($"enabled = on, certificate-path = \"{_certificates.ClusterNodePfx}\", certificate-password = \"{TestCertificates.Password}\", " +
                       $"trusted-ca-path = \"{_certificates.ClusterCaPem}\"");

        Assert.Equal(new TlsSettings(true, _certificates.ClusterNodePfx, TestCertificates.Password, _certificates.ClusterCaPem), tls);
    }

    [Fact]
    public void The_password_stays_out_of_the_settings_text()
    {
        var text = new TlsSettings(true, "node.pfx", TestCertificates.Password, "").ToString();

        Assert.DoesNotContain(TestCertificates.Password, text);
        Assert.Contains("CertificatePassword = ***", text);
    }

    [Fact]
    public void Enabled_must_be_on_or_off()
    {
        Assert.Equal("actortrain.cluster.tls.enabled = maybe is not valid: expected on or off.", Error("enabled = maybe"));
    }

    [Fact]
    public void Enabled_without_a_certificate_names_the_missing_key()
    {
        Assert.Equal("actortrain.cluster.tls.certificate-path is empty: with actortrain.cluster.tls.enabled = on it must name this node's " +
                     "certificate and private key (a PKCS#12 .pfx/.p12 file).", Error("enabled = on"));
    }

    [Fact]
    public void A_certificate_file_that_does_not_exist_is_named()
    {
        var missing = _certificates.Path("missing.pfx");

        Assert.Equal($"actortrain.cluster.tls.certificate-path = {missing} is not valid: no such file.", Error(Node(missing)));
    }

    [Fact]
    public void A_wrong_password_names_both_keys_and_does_not_show_the_password()
    {
        var error = Error(Node(_certificates.ClusterNodePfx, password: "not-the-password"));

        Assert.StartsWith($"actortrain.cluster.tls.certificate-path = {_certificates.ClusterNodePfx} could not be opened with " +
                          "actortrain.cluster.tls.certificate-password: ", error);
        Assert.EndsWith("Expected a PKCS#12 (.pfx/.p12) file and its password.", error);
        Assert.DoesNotContain("not-the-password", error);
    }

    [Fact]
    public void A_file_that_is_not_PKCS12_is_named()
    {
        Assert.StartsWith($"actortrain.cluster.tls.certificate-path = {_certificates.ClusterCaPem} could not be opened with " +
                          "actortrain.cluster.tls.certificate-password: ", Error(Node(_certificates.ClusterCaPem)));
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        var publicOnly = _certificates.Path("public-only.pfx");
        using (var node = X509CertificateLoader.LoadPkcs12FromFile(_certificates.ClusterNodePfx, TestCertificates.Password))
        using (var withoutKey = X509CertificateLoader.LoadCertificate(node.RawData))
            File.WriteAllBytes(publicOnly, withoutKey.Export(X509ContentType.Pkcs12, TestCertificates.Password));

        Assert.Equal($"actortrain.cluster.tls.certificate-path = {publicOnly} holds no private key: export the certificate together with " +
                     "its key (openssl pkcs12 -export -inkey …).", Error(Node(publicOnly)));
    }

    [Fact]
    public void An_expired_certificate_is_refused_with_its_dates()
    {
        var expired = _certificates.ClusterNodeValid("expired.pfx", DateTimeOffset.UtcNow.AddHours(-12), DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Matches(@"^actortrain\.cluster\.tls\.certificate-path = .*expired\.pfx is not valid now: its certificate is valid from " +
                       @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ to \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\.$", Error(Node(expired)));
    }

    [Fact]
    public void A_trusted_CA_file_that_does_not_exist_is_named()
    {
        var missing = _certificates.Path("missing-ca.pem");

        Assert.Equal($"actortrain.cluster.tls.trusted-ca-path = {missing} is not valid: no such file.",
            Error(Node(_certificates.ClusterNodePfx, trustedCa: missing)));
    }

    [Fact]
    public void A_trusted_CA_file_without_certificates_is_named()
    {
        var notCa = _certificates.Path("not-a-ca.txt");
        File.WriteAllText(notCa, "not a certificate");

        Assert.StartsWith($"actortrain.cluster.tls.trusted-ca-path = {notCa} is not valid: expected CA certificates in PEM or DER form (",
            Error(Node(_certificates.ClusterNodePfx, trustedCa: notCa)));
    }

    [Fact]
    public void A_certificate_the_trusted_CA_did_not_sign_stops_this_node_before_others_refuse_it()
    {
        Assert.Equal($"actortrain.cluster.tls.certificate-path = {_certificates.ClusterNodePfx} (CN=node.cluster, issued by CN=ActorTrain test cluster CA) " +
                     $"is not signed by a CA in actortrain.cluster.tls.trusted-ca-path = {_certificates.StrangerCaPem}: the other nodes would refuse it.",
            Error(Node(_certificates.ClusterNodePfx, trustedCa: _certificates.StrangerCaPem)));
    }

    public void Dispose() => _certificates.Dispose();

    private static string Node(string certificate, string password = TestCertificates.Password, string trustedCa = "") =>
        $"enabled = on, certificate-path = \"{certificate}\", certificate-password = \"{password}\", trusted-ca-path = \"{trustedCa}\"";

    private static TlsSettings Read(string tls) => ActorTrainSettings.Create(JobConfig.FromText($"actortrain.cluster.tls {{ {tls} }}")).Cluster.Tls;

    private static string Error(string tls) => Assert.Throws<SettingsException>(() => Read(tls)).Message;
}
