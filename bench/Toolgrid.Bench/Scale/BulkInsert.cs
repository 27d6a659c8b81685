using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Toolgrid.Store;

namespace Toolgrid.Bench.Scale;

/// <summary>
/// Inserts entities of one type straight into the store's SQLite file, one prepared INSERT per
/// row in the caller's transaction, with the columns and value conversions of the store's own
/// EF Core model (the schema its migrations make): a new column of the model is written too.
/// </summary>
internal sealed class BulkInsert<T> : IDisposable
    where T : class
{
    private readonly SqliteCommand _command;
    private readonly List<(IProperty Property, SqliteParameter Parameter)> _columns = [];

    public BulkInsert(ToolgridDbContext model, SqliteConnection connection, SqliteTransaction transaction)
    {
        var entity = model.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the store's model");
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        var names = new List<string>();
        foreach (var property in entity.GetProperties().Where(p => p.PropertyInfo is not null))
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "$p" + _columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _command.Parameters.Add(parameter);
            _columns.Add((property, parameter));
            names.Add("\"" + property.GetColumnName() + "\"");
        }

        _command.CommandText = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", names)}) VALUES ({string.Join(", ", _columns.Select(c => c.Parameter.ParameterName))})";
        _command.Prepare();
    }

    public void Add(T row)
    {
        foreach (var (property, parameter) in _columns)
        {
            var value = property.PropertyInfo!.GetValue(row);
            if (value is not null && property.GetTypeMapping().Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            parameter.Value = value ?? DBNull.Value;
        }

        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
