using System.Text;
using Toolgrid.Contracts.Logs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Jobs;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tools/{tool}/jobs/{job}/logs</c>: a job's output files, like <c>tail [-f]</c>.</summary>
public static class LogEndpoints
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    public static RouteGroupBuilder MapLogEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tools/{tool}/jobs/{job}/logs", GetAsync).WithTags("Jobs").Produces<string>(contentType: "text/plain");
        return api;
    }

    private static async Task GetAsync(
        string tool,
        string job,
        string? stream,
        int? lines,
        bool? follow,
        HttpContext context,
        ToolgridDbContext db,
        RunEvents events,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        CancellationToken requestAborted)
    {
        // Following ends when the caller goes away or when toolgridd stops.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = either.Token;
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken, allowDisabled: true);
        var (entity, _) = await JobEndpoints.FindJobAsync(db, found, job, cancellationToken);
        var problems = new Problems();
        LogTail.Validate(stream, lines, problems);
        problems.ThrowIfAny();
        var count = LogTail.LinesToSend(lines);
        var paths = stream switch
        {
            LogTail.Stdout => [entity.EffectiveStdoutPath],
            LogTail.Stderr => [entity.EffectiveStderrPath],
            _ => new[] { entity.EffectiveStdoutPath, entity.EffectiveStderrPath },
        };
        var files = paths.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw ToolgridException.NotFound("no-logs", $"job '{entity.Name}' keeps no log files (it was started with --no-filelog).");
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        var output = context.Response.Body;
        var tails = new List<Tail>();
        try
        {
            foreach (var relative in files)
            {
                tails.Add(new Tail(relative, LogFile.Open(found.Home, relative)));
            }

            var headers = tails.Count > 1;
            string? last = null;
            foreach (var tail in tails.Where(t => t.File is not null))
            {
                last = await WriteHeaderAsync(output, headers, tail, last, cancellationToken);
                await tail.WriteLastLinesAsync(output, count, cancellationToken);
            }

            await output.FlushAsync(cancellationToken);
            if (follow != true)
            {
                return;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var finished = JobStatus.IsFinished(entity, (await JobEndpoints.FindJobAsync(db, found, job, cancellationToken)).Runs.FirstOrDefault());
                db.ChangeTracker.Clear();
                var wrote = false;
                foreach (var tail in tails)
                {
                    tail.File ??= LogFile.Open(found.Home, tail.Relative);
                    if (tail.File is not null && tail.HasMore)
                    {
                        last = await WriteHeaderAsync(output, headers, tail, last, cancellationToken);
                        wrote |= await tail.WriteNewAsync(output, cancellationToken);
                    }
                }

                if (wrote)
                {
                    await output.FlushAsync(cancellationToken);
                }
                else if (finished)
                {
                    // Like 'kubectl logs -f': the stream ends once the job has ended and all is read.
                    return;
                }

                await Task.WhenAny(events.NextChange, Task.Delay(FollowInterval, time, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var tail in tails)
            {
                tail.File?.Dispose();
            }
        }
    }

    private static async Task<string?> WriteHeaderAsync(Stream output, bool headers, Tail tail, string? last, CancellationToken cancellationToken)
    {
        if (headers && last != tail.Relative)
        {
            var header = Encoding.UTF8.GetBytes((last is null ? "" : "\n") + $"==> {tail.Relative} <==\n");
            await output.WriteAsync(header, cancellationToken);
        }

        return tail.Relative;
    }

    private sealed class Tail(string relative, FileStream? file)
    {
        public string Relative { get; } = relative;

        public FileStream? File { get; set; } = file;

        private long _position;

        public bool HasMore => File is not null && File.Length != _position;

        public async Task WriteLastLinesAsync(Stream output, int lines, CancellationToken cancellationToken)
        {
            var file = File!;
            var length = file.Length;
            var start = FindStartOfLastLines(file, length, lines);
            _position = start;
            await CopyAsync(output, length, cancellationToken);
        }

        public async Task<bool> WriteNewAsync(Stream output, CancellationToken cancellationToken)
        {
            var length = File!.Length;
            if (length < _position)
            {
                // Truncated or rotated: start again from the top.
                _position = 0;
            }

            if (length == _position)
            {
                return false;
            }

            await CopyAsync(output, length, cancellationToken);
            return true;
        }

        private async Task CopyAsync(Stream output, long end, CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            while (_position < end)
            {
                var read = await RandomAccess.ReadAsync(File!.SafeFileHandle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - _position)), _position, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                _position += read;
            }
        }

        private static long FindStartOfLastLines(FileStream file, long length, int lines)
        {
            if (lines == 0)
            {
                return length;
            }

            var buffer = new byte[8192];
            var newlines = 0;
            var position = length;

            // A final newline ends the last line; it does not start a new one.
            var skipFinal = true;
            while (position > 0)
            {
                var size = (int)Math.Min(buffer.Length, position);
                position -= size;
                var read = RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(0, size), position);
                for (var i = read - 1; i >= 0; i--)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        skipFinal = false;
                        continue;
                    }

                    if (skipFinal)
                    {
                        skipFinal = false;
                        continue;
                    }

                    if (++newlines == lines)
                    {
                        return position + i + 1;
                    }
                }
            }

            return 0;
        }
    }
}
