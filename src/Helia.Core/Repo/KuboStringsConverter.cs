using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Core.Repo;

/// <summary>
/// Kubo's <c>Strings</c> config type (Addresses.API, Addresses.Gateway): a single string or an array of strings in the
/// file, a list in memory. As Kubo writes it, one element is written back as a string and none as null; null or an
/// empty string reads as none.
/// </summary>
internal sealed class KuboStringsConverter : JsonConverter<IReadOnlyList<string>>
{
    public override bool HandleNull => true;

    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return [];
            case JsonTokenType.String:
                string single = reader.GetString()!;
                return single.Length == 0 ? [] : [single];
            case JsonTokenType.StartArray:
                var values = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException($"expected a string in the array, found {reader.TokenType}");
                    }

                    values.Add(reader.GetString()!);
                }

                return values;
            default:
                throw new JsonException($"expected a string or an array of strings, found {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        switch (value.Count)
        {
            case 0:
                writer.WriteNullValue();
                return;
            case 1:
                writer.WriteStringValue(value[0]);
                return;
        }

        writer.WriteStartArray();
        foreach (string item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
