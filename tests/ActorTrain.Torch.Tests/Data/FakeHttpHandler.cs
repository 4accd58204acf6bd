using System.Net;

namespace ActorTrain.Torch.Tests.Data;

/// <summary>Answers GETs from a table of file name → body, 404 otherwise; records what was asked.</summary>
internal sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly IReadOnlyDictionary<string, byte[]> _files;

    public FakeHttpHandler(IReadOnlyDictionary<string, byte[]> files) => _files = files;

    public List<Uri> Requests { get; } = [];

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Requests.Add(uri);
        return _files.TryGetValue(uri.Segments[^1], out var body)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
            : new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" };
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));
}
