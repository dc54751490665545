using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConvGen.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for download tests: GET of a known path answers 200 with its bytes, any
/// other path 404; a silent server accepts connections and never answers. It binds port 0, so it holds its port from
/// the start and tests never race for one. Nothing here can reach beyond the loopback interface.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly IReadOnlyDictionary<string, byte[]> files;
    private readonly bool silent;

    public LoopbackHttpServer(IReadOnlyDictionary<string, byte[]> files, bool silent = false)
    {
        this.files = files;
        this.silent = silent;
        listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Every request path, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The server's root URL with <paramref name="folder"/>, ending in <c>/</c>.</summary>
    public string Url(string folder) => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/{folder}/";

    /// <summary>A loopback URL where nothing listens: the port was free a moment ago, so connecting is refused.</summary>
    public static string ClosedUrl(string folder)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/{folder}/";
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                TcpClient client = await listener.AcceptTcpClientAsync(stopping.Token);
                _ = AnswerAsync(client);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                string requestLine = await reader.ReadLineAsync(stopping.Token) ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(stopping.Token)))
                {
                    // Headers are not needed.
                }

                string path = requestLine.Split(' ') is [_, var target, ..] ? target : "";
                Requests.Enqueue(path);
                if (silent)
                {
                    await Task.Delay(Timeout.Infinite, stopping.Token);
                }

                (string status, byte[] body) = files.TryGetValue(path, out byte[]? content) ? ("200 OK", content) : ("404 Not Found", []);
                byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, stopping.Token);
                await stream.WriteAsync(body, stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client went away or the server stopped.
            }
        }
    }
}
