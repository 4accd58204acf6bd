using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// Certificates made at test time in a temporary folder: two unrelated CAs (the cluster's and a stranger's), a node
/// certificate signed by each as a PKCS#12 file, each CA as a PEM file, and a self-signed node certificate.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "cluster-secret";

    public TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("actortrain-tls-").FullName;
        using var clusterCa = Ca("ActorTrain test cluster CA");
        using var strangerCa = Ca("Stranger CA");
        ClusterCaPem = WritePem("cluster-ca.pem", clusterCa);
        StrangerCaPem = WritePem("stranger-ca.pem", strangerCa);
        ClusterNodePfx = WritePfx("cluster-node.pfx", SignedNode("node.cluster", clusterCa));
        StrangerNodePfx = WritePfx("stranger-node.pfx", SignedNode("node.stranger", strangerCa));
        SelfSignedPfx = WritePfx("self-signed.pfx", SelfSigned("node.self"));
        OtherSelfSignedPfx = WritePfx("other-self-signed.pfx", SelfSigned("node.self"));
    }

    public string Folder { get; }
    public string ClusterCaPem { get; }
    public string StrangerCaPem { get; }

    /// <summary>A node certificate with its key, signed by the cluster's CA.</summary>
    public string ClusterNodePfx { get; }

    /// <summary>A node certificate with its key, signed by the stranger's CA.</summary>
    public string StrangerNodePfx { get; }

    /// <summary>Two self-signed node certificates with the same subject but different keys.</summary>
    public string SelfSignedPfx { get; }

    public string OtherSelfSignedPfx { get; }

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A node certificate signed by the cluster's CA, valid only in the given window.</summary>
    public string ClusterNodeValid(string name, DateTimeOffset from, DateTimeOffset to)
    {
        using var ca = X509Certificate2.CreateFromPemFile(ClusterCaPem, ClusterCaPem + ".key");
        return WritePfx(name, SignedNode("node.cluster", ca, from, to));
    }

    private static X509Certificate2 Ca(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 SignedNode(string name, X509Certificate2 ca) =>
        SignedNode(name, ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    private static X509Certificate2 SignedNode(string name, X509Certificate2 ca, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = NodeRequest(name, key);
        var serial = RandomNumberGenerator.GetBytes(16);
        using var signed = request.Create(ca, from, to, serial);
        return signed.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return NodeRequest(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static CertificateRequest NodeRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    private string WritePem(string name, X509Certificate2 ca)
    {
        var path = Path(name);
        File.WriteAllText(path, ca.ExportCertificatePem());
        using var key = ca.GetECDsaPrivateKey()!;
        File.WriteAllText(path + ".key", key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private string WritePfx(string name, X509Certificate2 certificate)
    {
        using (certificate)
        {
            var path = Path(name);
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
            return path;
        }
    }
}
