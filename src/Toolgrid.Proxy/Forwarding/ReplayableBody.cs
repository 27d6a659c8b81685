using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>
/// Whether a request's body can be sent again to another replica: it has none, it is small enough
/// to be kept as it is read (then it is read again from the start), or nothing of it has been
/// read yet.
/// </summary>
internal sealed class ReplayableBody
{
    private readonly HttpRequest _request;
    private readonly bool _buffered;
    private readonly CountingStream? _counted;

    private ReplayableBody(HttpRequest request, bool buffered, CountingStream? counted)
    {
        _request = request;
        _buffered = buffered;
        _counted = counted;
    }

    /// <summary>True while the body can be sent again.</summary>
    public bool CanReplay => _counted is null || _counted.BytesRead == 0;

    public static ReplayableBody Prepare(HttpContext context, long bufferLimit)
    {
        var request = context.Request;
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength is > 0;
        if (!hasBody)
        {
            return new ReplayableBody(request, buffered: false, counted: null);
        }

        if (request.ContentLength is { } length && length <= bufferLimit)
        {
            request.EnableBuffering(bufferThreshold: (int)Math.Min(bufferLimit, 1024 * 1024), bufferLimit);
            return new ReplayableBody(request, buffered: true, counted: null);
        }

        var counted = new CountingStream(request.Body);
        request.Body = counted;
        return new ReplayableBody(request, buffered: false, counted);
    }

    /// <summary>Puts the body back at its start for the next attempt.</summary>
    public void Rewind()
    {
        if (_buffered)
        {
            _request.Body.Position = 0;
        }
    }

    /// <summary>Passes reads through, counting the bytes.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
