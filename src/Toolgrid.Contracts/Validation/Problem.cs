namespace Toolgrid.Contracts.Validation;

/// <summary>One thing wrong with an input: the field it is about and what to do about it.</summary>
/// <param name="Field">The input field, in the spelling the user typed (e.g. <c>name</c>, <c>mem</c>).</param>
/// <param name="Message">What is wrong and how to fix it, as a sentence.</param>
public sealed record Problem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
