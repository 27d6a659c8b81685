namespace Toolgrid.Cli.Api;

/// <summary>The API could not be reached, or the connection to it was lost, or it did not answer in time.</summary>
public sealed class ApiUnreachableException : Exception
{
    public ApiUnreachableException(ApiAddress address, string message, Exception? innerException)
        : base(message, innerException)
    {
        Address = address;
    }

    public ApiUnreachableException()
        : this("the API could not be reached.")
    {
    }

    public ApiUnreachableException(string message)
        : this(message, null)
    {
    }

    public ApiUnreachableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The address that was tried, when known.</summary>
    public ApiAddress? Address { get; }
}
