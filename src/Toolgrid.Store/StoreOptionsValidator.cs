using Microsoft.Extensions.Options;

namespace Toolgrid.Store;

/// <summary>Reports every problem with <see cref="StoreOptions"/> at once.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("Toolgrid:Store:Path is required: the SQLite database file.");
        }

        if (options.Synchronous is not ("full" or "normal" or "extra"))
        {
            failures.Add($"Toolgrid:Store:Synchronous is '{options.Synchronous}'; use full, normal or extra.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            failures.Add("Toolgrid:Store:BusyTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
