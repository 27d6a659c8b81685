namespace Toolgrid.Core.Errors;

/// <summary>
/// A refusal with a stable machine-readable <see cref="ErrorCode"/> and a message written for
/// the person who made the request: what is wrong and how to fix it.
/// </summary>
public class ToolgridException : Exception
{
    public ToolgridException(ErrorKind kind, string errorCode, string message)
        : base(message)
    {
        Kind = kind;
        ErrorCode = errorCode;
    }

    public ToolgridException(ErrorKind kind, string errorCode, string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = kind;
        ErrorCode = errorCode;
    }

    public ToolgridException()
        : this(ErrorKind.Invalid, "invalid", "The request is not valid.")
    {
    }

    public ToolgridException(string message)
        : this(ErrorKind.Invalid, "invalid", message)
    {
    }

    public ToolgridException(string message, Exception innerException)
        : this(ErrorKind.Invalid, "invalid", message, innerException)
    {
    }

    public ErrorKind Kind { get; }

    public string ErrorCode { get; }

    public static ToolgridException NotFound(string errorCode, string message) => new(ErrorKind.NotFound, errorCode, message);

    public static ToolgridException Conflict(string errorCode, string message) => new(ErrorKind.Conflict, errorCode, message);

    public static ToolgridException Forbidden(string errorCode, string message) => new(ErrorKind.Forbidden, errorCode, message);

    public static ToolgridException Unavailable(string errorCode, string message) => new(ErrorKind.Unavailable, errorCode, message);
}
