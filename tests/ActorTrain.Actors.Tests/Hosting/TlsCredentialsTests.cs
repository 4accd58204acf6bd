using System.Security.Cryptography.X509Certificates;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>Which peer certificates a node accepts: the trust decision on its own, without a handshake.</summary>
public sealed class TlsCredentialsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    [Fact]
    public void With_a_trusted_CA_a_certificate_it_signed_is_accepted_and_one_another_CA_signed_is_not()
    {
        using var node = Credentials(_certificates.ClusterNodePfx, _certificates.ClusterCaPem);
        using var peer = Peer(_certificates.ClusterNodePfx);
        using var stranger = Peer(_certificates.StrangerNodePfx);
        using var selfSigned = Peer(_certificates.SelfSignedPfx);

        Assert.True(node.Accepts(peer, DateTime.UtcNow));
        Assert.False(node.Accepts(stranger, DateTime.UtcNow));
        Assert.False(node.Accepts(selfSigned, DateTime.UtcNow));
        Assert.False(node.Accepts(null, DateTime.UtcNow));
    }

    [Fact]
    public void A_certificate_the_CA_signed_is_refused_outside_its_validity_dates()
    {
        using var node = Credentials(_certificates.ClusterNodePfx, _certificates.ClusterCaPem);
        using var peer = Peer(_certificates.ClusterNodePfx);

        Assert.False(node.Accepts(peer, peer.NotAfter.ToUniversalTime().AddMinutes(1)));
        Assert.False(node.Accepts(peer, peer.NotBefore.ToUniversalTime().AddMinutes(-1)));
    }

    [Fact]
    public void Without_a_trusted_CA_only_this_nodes_own_certificate_is_accepted()
    {
        using var node = Credentials(_certificates.SelfSignedPfx, trustedCa: "");
        using var twin = Peer(_certificates.SelfSignedPfx);
        using var sameSubjectOtherKey = Peer(_certificates.OtherSelfSignedPfx);
        using var signedByCa = Peer(_certificates.ClusterNodePfx);

        Assert.True(node.Accepts(twin, DateTime.UtcNow));
        Assert.False(node.Accepts(sameSubjectOtherKey, DateTime.UtcNow));
        Assert.False(node.Accepts(signedByCa, DateTime.UtcNow));
        Assert.False(node.Accepts(twin, twin.NotAfter.ToUniversalTime().AddMinutes(1)));
    }

    public void Dispose() => _certificates.Dispose();

    private static TlsCredentials Credentials(string certificate, string trustedCa) =>
        TlsCredentials.Load(new TlsSettings(true, certificate, TestCertificates.Password, trustedCa));

    /// <summary>What a peer presents: its certificate, without the private key.</summary>
    private static X509Certificate2 Peer(string pfx)
    {
        using var withKey = X509CertificateLoader.LoadPkcs12FromFile(pfx, TestCertificates.Password);
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }
}
