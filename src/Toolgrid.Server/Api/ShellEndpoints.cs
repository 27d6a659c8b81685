using System.Buffers.Binary;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Controller;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>
/// <c>GET /api/v1/tools/{tool}/shell</c> (WebSocket): an interactive run of the tool, attached
/// to the caller's terminal (see docs/api.md, "Interactive runs").
/// </summary>
/// <remarks>
/// The API records an interactive job and its queued run, like any other; the controller places
/// and starts it; the run's command begins once this endpoint has attached to it, so nothing it
/// prints is lost. The run ends as runs do and is recorded; the job is purged once it has.
/// </remarks>
public static partial class ShellEndpoints
{
    private const byte Data = 0;
    private const byte Resize = 1;
    private const byte Exit = 2;
    private const byte EndOfInput = 3;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    public static RouteGroupBuilder MapShellEndpoints(this RouteGroupBuilder api)
    {
        // A GET, but it makes and starts a run.
        api.MapGet("/tools/{tool}/shell", ShellAsync).WithTags("Jobs").RequireScope(TokenScope.Jobs);
        return api;
    }

    private static async Task ShellAsync(
        string tool,
        string? command,
        bool? tty,
        int? rows,
        int? cols,
        string? mem,
        string? cpu,
        HttpContext context,
        ToolgridDbContext db,
        IOptions<ServerOptions> options,
        SupervisorSignal supervisor,
        RunEvents events,
        IServiceProvider services,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var found = await JobEndpoints.ManagedToolAsync(context, db, tool, cancellationToken);
        var problems = new Problems();
        var now = time.GetUtcNow();
        var name = $"shell-{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)[^8..]}";
        var request = new JobRunRequest
        {
            Name = name,
            Command = string.IsNullOrWhiteSpace(command) ? "exec \"${SHELL:-/bin/sh}\" -l" : command,
            Mem = mem,
            Cpu = cpu,
            Filelog = false,
        };
        // The site's backend may not run interactive jobs at all: that is the rule every job is checked by.
        var job = JobRules.Build(request, found, options.Value.Limits, options.Value.SiteOf([Queues.Default]), caller.UserName, now, problems, interactive: true);
        problems.ThrowIfAny();

        // Checked after the job's rules, so that a client whose upgrade was refused can ask again
        // without it and read why (a refused handshake shows it no body).
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new ValidationException("upgrade", "this endpoint is a WebSocket: connect with 'toolgrid jobs shell'.");
        }

        if (services.GetService<IRunTerminals>() is not { } terminals)
        {
            throw ToolgridException.Unavailable("no-interactive-backend", "this toolgridd has no backend that can attach to runs; interactive jobs need the node role (local backend) or the controller role (slurm or gridengine backend) in the same toolgridd as the API.");
        }

        job!.Terminal = tty ?? true;

        db.Jobs.Add(job);
        var run = JobEndpoints.QueueFirstRuns(db, job, now)[0];
        await db.SaveChangesAsync(cancellationToken);
        supervisor.Wake();

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var logger = loggers.CreateLogger(typeof(ShellEndpoints));
        LogSessionStarted(logger, caller.UserName, found.Name, run.Id);
        try
        {
            var started = await WaitForAsync(db, run.Id, r => r.State != RunState.Queued && r.State != RunState.Starting, events, time, StartTimeout, cancellationToken);
            if (started is null || started.IsTerminal)
            {
                await SendExitAsync(socket, started, cancellationToken);
                return;
            }

            await using (var terminal = await terminals.AttachAsync(run.Id, cancellationToken))
            {
                if (tty != false && rows is > 0 && cols is > 0)
                {
                    await terminal.ResizeAsync(rows.Value, cols.Value, cancellationToken);
                }

                using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var output = PumpOutputAsync(terminal, socket, session.Token);
                var input = PumpInputAsync(socket, terminal, session.Token);
                await Task.WhenAny(output, input);
                LogPumpEnded(logger, run.Id, output.IsCompleted, input.Exception ?? output.Exception);
                if (!output.IsCompleted)
                {
                    // The caller went away: hanging up (disposing the terminal) ends the run.
                    await session.CancelAsync();
                    await Task.WhenAll(output.ContinueWith(_ => { }, TaskScheduler.Default), input.ContinueWith(_ => { }, TaskScheduler.Default));
                }

                // Otherwise the run's output has ended: the input pump reads on (a cancelled receive
                // would abort the socket) until the caller answers the close after the exit message.
            }

            var ended = await WaitForAsync(db, run.Id, r => r.IsTerminal, events, time, TimeSpan.FromSeconds(60), CancellationToken.None);
            LogRunEnded(logger, run.Id, ended?.State, ended?.ExitCode, socket.State);
            if (ended is not null)
            {
                // Its end read, the session's job goes (the controller purges it and its run).
                await db.Jobs.Where(j => j.Id == job.Id && j.DeletedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.DeletedAt, time.GetUtcNow()).SetProperty(j => j.Version, j => j.Version + 1), CancellationToken.None);
                supervisor.Wake();
            }

            if (socket.State == WebSocketState.Open)
            {
                await SendExitAsync(socket, ended, CancellationToken.None);
            }
        }
        finally
        {
            LogSessionEnded(logger, found.Name, run.Id);
        }
    }

    private static async Task PumpOutputAsync(IRunTerminal terminal, WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024 + 1];
        buffer[0] = Data;
        while (true)
        {
            var read = await terminal.ReadAsync(buffer.AsMemory(1), cancellationToken);
            if (read == 0)
            {
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, cancellationToken);
        }
    }

    private static async Task PumpInputAsync(WebSocket socket, IRunTerminal terminal, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024 + 1];
        while (socket.State == WebSocketState.Open)
        {
            var message = await ReceiveMessageAsync(socket, buffer, cancellationToken);
            if (message is null)
            {
                return;
            }

            var bytes = message.Value;
            switch (bytes.Span[0])
            {
                case Data:
                    await terminal.WriteAsync(bytes[1..], cancellationToken);
                    break;
                case Resize when bytes.Length >= 5:
                    await terminal.ResizeAsync(BinaryPrimitives.ReadUInt16BigEndian(bytes.Span[1..]), BinaryPrimitives.ReadUInt16BigEndian(bytes.Span[3..]), cancellationToken);
                    break;
                case EndOfInput:
                    await terminal.CloseInputAsync(cancellationToken);
                    break;
            }
        }
    }

    /// <summary>One whole message (it may come in frames), or null when the socket closed.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReceiveMessageAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return length == 0 ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, length);
            }

            if (length == buffer.Length)
            {
                throw new ValidationException("message", $"a message is longer than {buffer.Length} bytes.");
            }
        }
    }

    private static async Task SendExitAsync(WebSocket socket, Run? run, CancellationToken cancellationToken)
    {
        object outcome = run switch
        {
            null => new { state = "queued", reason = "timed-out", message = "the session's run did not start in time" },
            { State: RunState.Succeeded or RunState.Failed, Reason: RunReason.Exited } => new { exitCode = run.ExitCode ?? 0 },
            { Signal: { } signal } => new { signal },
            _ => new { state = RunWire.Of(run.State), reason = RunWire.Of(run.Reason), message = run.Message },
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(outcome);
        var message = new byte[json.Length + 1];
        message[0] = Exit;
        json.CopyTo(message, 1);
        await socket.SendAsync(message, WebSocketMessageType.Binary, true, cancellationToken);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "run ended", cancellationToken);
    }

    private static async Task<Run?> WaitForAsync(ToolgridDbContext db, long runId, Func<Run, bool> condition, RunEvents events, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var changed = events.NextChange;
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is not null && condition(run))
            {
                return run;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return run is { IsTerminal: true } ? run : null;
            }

            await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "{User} opened an interactive session of tool {Tool} (run {RunId})")]
    private static partial void LogSessionStarted(ILogger logger, string user, string tool, long runId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Interactive run {RunId}: the session's pumps stopped (the run's output ended: {OutputEnded})")]
    private static partial void LogPumpEnded(ILogger logger, long runId, bool outputEnded, Exception? failure);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Interactive run {RunId}: the run is {State} (exit code {ExitCode}); the caller's connection is {SocketState}")]
    private static partial void LogRunEnded(ILogger logger, long runId, RunState? state, int? exitCode, WebSocketState socketState);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "The interactive session of tool {Tool} (run {RunId}) ended")]
    private static partial void LogSessionEnded(ILogger logger, string tool, long runId);
}
