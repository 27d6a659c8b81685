using System.Runtime.InteropServices;

namespace Toolgrid.Native.Processes;

/// <summary>
/// Says when processes that are not this process's children exit, as it happens: one process
/// descriptor (<c>pidfd_open</c>, Linux 5.3) per process, all waited on by one thread with
/// <c>poll</c>, which costs nothing while they live. Each exit is told once, to the callback,
/// on that thread: keep the callback short (hand the key on).
/// </summary>
/// <remarks>
/// A process id names a process only while it lives: <see cref="Watch"/> takes the process's
/// start time (field 22 of <c>/proc/PID/stat</c>) and checks it once the descriptor is open, so a
/// recycled id is never watched in place of the process meant.
/// </remarks>
public sealed unsafe class ProcessExits : IDisposable
{
    private readonly Action<long> _exited;
    private readonly Func<int, long?> _startTime;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _descriptors = [];
    private readonly int _wake;
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <param name="exited">Called with the key of each watched process that exited.</param>
    /// <param name="startTime">A process's start time, or null when there is no such process.</param>
    /// <exception cref="IOException">The kernel cannot give the eventfd this needs.</exception>
    public ProcessExits(Action<long> exited, Func<int, long?> startTime)
    {
        _exited = exited;
        _startTime = startTime;
        _wake = LibC.EventFd(0, LibC.EventFdCloseOnExec);
        if (_wake < 0)
        {
            throw new IOException($"eventfd: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        _thread = new Thread(Loop) { IsBackground = true, Name = "process exits" };
        _thread.Start();
    }

    /// <summary>How many processes are watched now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _descriptors.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> is watched now: its process was there when watched and its exit has not been told yet.</summary>
    public bool IsWatched(long key)
    {
        lock (_gate)
        {
            return _descriptors.ContainsKey(key);
        }
    }

    /// <summary>
    /// Watches process <paramref name="pid"/>, started at <paramref name="startTime"/>, under
    /// <paramref name="key"/> (a key already watched is left as it is). False when that process is
    /// not there (it exited, or the id is another process's now): nothing is watched then, and the
    /// callback is not called for it.
    /// </summary>
    public bool Watch(long key, int pid, long startTime)
    {
        lock (_gate)
        {
            if (_stopping || _descriptors.ContainsKey(key))
            {
                return !_stopping;
            }
        }

        var fd = (int)LibC.Syscall(LibC.SysPidfdOpen, pid, 0);
        if (fd < 0 || _startTime(pid) != startTime)
        {
            if (fd >= 0)
            {
                LibC.Close(fd);
            }

            return false;
        }

        lock (_gate)
        {
            if (_stopping || !_descriptors.TryAdd(key, fd))
            {
                LibC.Close(fd);
                return !_stopping;
            }
        }

        Wake();
        return true;
    }

    /// <summary>Stops watching <paramref name="key"/>, if it was.</summary>
    public void Forget(long key)
    {
        lock (_gate)
        {
            if (!_descriptors.Remove(key, out var fd))
            {
                return;
            }

            LibC.Close(fd);
        }

        Wake();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        Wake();
        _thread.Join();
        lock (_gate)
        {
            foreach (var fd in _descriptors.Values)
            {
                LibC.Close(fd);
            }

            _descriptors.Clear();
        }

        LibC.Close(_wake);
    }

    private void Wake()
    {
        ulong one = 1;
        LibC.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    private void Loop()
    {
        var keys = new List<long>();
        var polled = new List<LibC.PollFd>();
        while (!_stopping)
        {
            keys.Clear();
            polled.Clear();
            polled.Add(new LibC.PollFd { Fd = _wake, Events = LibC.PollIn });
            lock (_gate)
            {
                foreach (var (key, fd) in _descriptors)
                {
                    keys.Add(key);
                    polled.Add(new LibC.PollFd { Fd = fd, Events = LibC.PollIn });
                }
            }

            var fds = polled.ToArray();
            int ready;
            fixed (LibC.PollFd* pointer = fds)
            {
                ready = LibC.Poll(pointer, (nuint)fds.Length, -1);
            }

            if (ready <= 0)
            {
                // EINTR: poll again.
                continue;
            }

            if (fds[0].Revents != 0)
            {
                ulong count;
                LibC.Read(_wake, (byte*)&count, sizeof(ulong));
            }

            for (var i = 1; i < fds.Length; i++)
            {
                if (fds[i].Revents == 0 || !Remove(keys[i - 1], fds[i].Fd))
                {
                    continue;
                }

                _exited(keys[i - 1]);
            }
        }
    }

    /// <summary>Stops watching a process that exited; false when it was forgotten meanwhile (its descriptor closed, perhaps reused).</summary>
    private bool Remove(long key, int fd)
    {
        lock (_gate)
        {
            if (!_descriptors.TryGetValue(key, out var current) || current != fd)
            {
                return false;
            }

            _descriptors.Remove(key);
            LibC.Close(fd);
            return true;
        }
    }
}
