using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorTrain.Actors.Settings;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// This node's certificate (with its private key) and the certificates it trusts, loaded from the files
/// <see cref="TlsSettings"/> names. A peer is accepted only when its certificate chains to one of the trusted CAs
/// (the system's CA store plays no part), or, with no trusted-ca-path, when it is this node's own certificate.
/// Owns the certificates it loaded.
/// </summary>
public sealed class TlsCredentials : IDisposable
{
    private readonly X509Certificate2Collection _trustedCas;

    private TlsCredentials(X509Certificate2 certificate, X509Certificate2Collection trustedCas)
    {
        Certificate = certificate;
        _trustedCas = trustedCas;
    }

    /// <summary>This node's certificate, presented to every peer, in both directions.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Opens and checks the files; every failure is a <see cref="SettingsException"/> naming the key.</summary>
    public static TlsCredentials Load(TlsSettings tls)
    {
        var certificate = LoadCertificate(tls);
        var trusted = new X509Certificate2Collection();
        try
        {
            if (!string.IsNullOrWhiteSpace(tls.TrustedCaPath)) trusted = LoadTrustedCas(tls.TrustedCaPath);
            var now = DateTime.UtcNow;
            if (!IsValidAt(certificate, now))
                throw new SettingsException(
                    $"{TlsSettings.Key("certificate-path")} = {tls.CertificatePath} is not valid now: its certificate is valid from " +
                    $"{certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}.");
            var credentials = new TlsCredentials(certificate, trusted);
            if (!credentials.Accepts(certificate, now))
                throw new SettingsException(
                    $"{TlsSettings.Key("certificate-path")} = {tls.CertificatePath} ({certificate.Subject}, issued by {certificate.Issuer}) is not signed " +
                    $"by a CA in {TlsSettings.Key("trusted-ca-path")} = {tls.TrustedCaPath}: the other nodes would refuse it.");
            return credentials;
        }
        catch
        {
            certificate.Dispose();
            foreach (var ca in trusted) ca.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The Akka.Remote setup: this certificate, mutual authentication, and <see cref="Validate"/> in place of the
    /// default chain check (which trusts the system's CA store and refuses a private CA as an untrusted root).
    /// Hostnames are not checked: nodes are reached by address, and the CA decides who belongs.
    /// </summary>
    public DotNettySslSetup Setup() =>
        new(Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, Validate);

    /// <summary>Whether a peer presenting <paramref name="peer"/> belongs to this cluster at <paramref name="now"/>.</summary>
    /// <param name="presented">Certificates the peer sent along with its own (intermediate CAs), if any.</param>
    public bool Accepts(X509Certificate2? peer, DateTime now, X509Certificate2Collection? presented = null)
    {
        if (peer is null) return false;
        if (_trustedCas.Count == 0) return peer.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span) && IsValidAt(peer, now);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a cluster's private CA publishes no revocation lists
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (presented != null) chain.ChainPolicy.ExtraStore.AddRange(presented);
        return chain.Build(peer);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var ca in _trustedCas) ca.Dispose();
    }

    /// <summary>Called by the transport on every handshake, on both sides; SslStream's own verdict (<paramref name="errors"/>) is replaced, not consulted.</summary>
    private bool Validate(X509Certificate2? peer, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        var presented = new X509Certificate2Collection();
        if (chain != null) presented.AddRange(chain.ChainPolicy.ExtraStore);
        if (Accepts(peer, DateTime.UtcNow, presented)) return true;
        log.Warning("TLS: refused {0}: its certificate {1} (issued by {2}) is not one this cluster trusts",
            remotePeer, peer?.Subject ?? "(none)", peer?.Issuer ?? "-");
        return false;
    }

    private static bool IsValidAt(X509Certificate2 certificate, DateTime now) =>
        now >= certificate.NotBefore.ToUniversalTime() && now <= certificate.NotAfter.ToUniversalTime();

    private static X509Certificate2 LoadCertificate(TlsSettings tls)
    {
        var pathKey = TlsSettings.Key("certificate-path");
        if (string.IsNullOrWhiteSpace(tls.CertificatePath))
            throw new SettingsException($"{pathKey} is empty: with {TlsSettings.Key("enabled")} = on it must name this node's certificate and private key (a PKCS#12 .pfx/.p12 file).");
        if (!File.Exists(tls.CertificatePath))
            throw new SettingsException($"{pathKey} = {tls.CertificatePath} is not valid: no such file.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.CertificatePassword);
        }
        catch (CryptographicException e)
        {
            throw new SettingsException(
                $"{pathKey} = {tls.CertificatePath} could not be opened with {TlsSettings.Key("certificate-password")}: {e.Message.TrimEnd('.')}. " +
                "Expected a PKCS#12 (.pfx/.p12) file and its password.");
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new SettingsException($"{pathKey} = {tls.CertificatePath} holds no private key: export the certificate together with its key (openssl pkcs12 -export -inkey …).");
        }
        return certificate;
    }

    private static X509Certificate2Collection LoadTrustedCas(string path)
    {
        var key = TlsSettings.Key("trusted-ca-path");
        if (!File.Exists(path)) throw new SettingsException($"{key} = {path} is not valid: no such file.");
        var cas = new X509Certificate2Collection();
        try
        {
            if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) cas.ImportFromPemFile(path);
            else cas.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }
        catch (CryptographicException e)
        {
            throw new SettingsException($"{key} = {path} is not valid: expected CA certificates in PEM or DER form ({e.Message.TrimEnd('.')}).");
        }
        if (cas.Count == 0) throw new SettingsException($"{key} = {path} is not valid: it holds no certificate.");
        return cas;
    }
}
