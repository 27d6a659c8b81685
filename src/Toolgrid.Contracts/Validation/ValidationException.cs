namespace Toolgrid.Contracts.Validation;

/// <summary>An input was refused; nothing was changed. Carries every problem found.</summary>
public sealed class ValidationException : Exception
{
    public ValidationException(IReadOnlyList<Problem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public ValidationException(string field, string message)
        : this([new Problem(field, message)])
    {
    }

    public ValidationException()
        : this([])
    {
    }

    public ValidationException(string message)
        : this("input", message)
    {
    }

    public ValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new Problem("input", message)];
    }

    public IReadOnlyList<Problem> Problems { get; }

    private static string Describe(IReadOnlyList<Problem> problems) =>
        problems.Count == 0 ? "The input is not valid." : string.Join("; ", problems);
}
