using System.Security.Cryptography;

namespace ActorTrain.Torch.Data;

/// <summary>
/// Fetches the Fashion-MNIST .gz files a folder lacks and checks each against its published MD5. A file is
/// written under a temporary name and renamed only once complete and verified, so an interrupted or corrupt
/// download is never taken for the dataset.
/// </summary>
internal sealed class FashionMnistDownload
{
    /// <summary>
    /// Zalando's official location. It is an S3 website endpoint, which serves plain HTTP only (no TLS); the
    /// MD5 check is what guards the content.
    /// </summary>
    public static readonly Uri OfficialSource = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyDictionary<string, string> _md5ByFileName;
    private readonly HttpMessageHandler? _handler;

    /// <param name="source">The folder URL the four .gz files are fetched from.</param>
    /// <param name="md5ByFileName">The expected MD5 (lower-case hex) of each .gz file name.</param>
    /// <param name="handler">Sends the requests; null for a real network client. Not disposed here.</param>
    public FashionMnistDownload(Uri source, IReadOnlyDictionary<string, string> md5ByFileName, HttpMessageHandler? handler = null)
    {
        Source = source;
        _md5ByFileName = md5ByFileName;
        _handler = handler;
    }

    public static FashionMnistDownload Official { get; } = new(OfficialSource, FashionMnistFiles.PublishedMd5);

    public Uri Source { get; }

    /// <summary>Downloads into <paramref name="directory"/> each of the four files it does not already hold.</summary>
    public void Into(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{directory}: cannot create the download folder ({ex.Message}).", ex);
        }

        using var client = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
        client.Timeout = Timeout;
        foreach (var name in FashionMnistFiles.Missing(directory))
            Fetch(client, directory, name + ".gz");
    }

    private void Fetch(HttpClient client, string directory, string fileName)
    {
        var target = Path.Combine(directory, fileName);
        var uri = new Uri(Source, fileName);
        // Per process, so two workers on one machine downloading at once never write the same partial file.
        var partial = $"{target}.{Environment.ProcessId}.part";
        try
        {
            Save(client, uri, partial);
            var actual = Md5Of(partial);
            var expected = _md5ByFileName[fileName];
            if (actual != expected)
                throw new DatasetException(
                    $"{target}: downloaded from {uri}, its MD5 is {actual} but the published sum is {expected}; " +
                    "the download was deleted. Try again, or install the files another way.");
            File.Move(partial, target, overwrite: true);
        }
        catch (HttpRequestException ex)
        {
            throw new DatasetException($"{uri}: the download failed ({ex.Message}).", ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new DatasetException($"{uri}: the download did not complete within {Timeout.TotalSeconds:0} s.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{target}: cannot write the download ({ex.Message}).", ex);
        }
        finally
        {
            DeleteQuietly(partial);
        }
    }

    private static void Save(HttpClient client, Uri uri, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        // ResponseContentRead: the 60 s timeout covers the whole body, not only the headers.
        using var response = client.Send(request, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode)
            throw new DatasetException($"{uri}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        using var body = response.Content.ReadAsStream();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        body.CopyTo(file);
    }

    private static string Md5Of(string path)
    {
        using var file = File.OpenRead(path);
        // MD5 only because it is what Zalando publishes; it checks integrity, not authenticity.
#pragma warning disable CA5351
        return Convert.ToHexStringLower(MD5.HashData(file));
#pragma warning restore CA5351
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray .part file is never read as the dataset.
        }
    }
}
