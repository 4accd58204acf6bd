using System.Text;
using ActorTrain.Actors.Hosting;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.cluster.tls: mutual TLS for Akka.Remote. Each node presents its own certificate and accepts a peer only
/// when the peer's certificate is signed by a CA in <see cref="TrustedCaPath"/> (or, without one, is this node's own
/// certificate). When enabled, the files are opened here, so a bad path or password stops the run before any
/// ActorSystem starts.
/// </summary>
public sealed record TlsSettings(bool Enabled, string CertificatePath, string CertificatePassword, string TrustedCaPath)
{
    /// <summary>Where these keys live; error messages name the keys under it.</summary>
    public const string Section = "actortrain.cluster.tls";

    public static readonly TlsSettings Off = new(false, "", "", "");

    public static string Key(string name) => $"{Section}.{name}";

    public static TlsSettings Create(SettingsReader r)
    {
        var tls = new TlsSettings(r.Bool("enabled"), r.String("certificate-path"), r.String("certificate-password"), r.String("trusted-ca-path"));
        if (tls.Enabled) TlsCredentials.Load(tls).Dispose();
        return tls;
    }

    /// <summary>The password stays out of logs and exception messages.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Enabled = {Enabled}, CertificatePath = {CertificatePath}, CertificatePassword = ***, TrustedCaPath = {TrustedCaPath}");
        return true;
    }
}
