using System.Collections;
using System.Reflection;
using ActorTrain.Actors.Protocol;
using Xunit;

namespace ActorTrain.Actors.Tests.Serialization;

/// <summary>
/// Structural equality for wire messages: record equality compares arrays by reference, so a round trip
/// would never compare equal. Walks public properties, compares arrays element by element, nested messages
/// recursively and floating-point values bit for bit; a failure names the path of the first difference.
/// </summary>
internal static class WireStructure
{
    public static void AssertEqual(object expected, object actual) => Compare(expected, actual, expected.GetType().Name);

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }
        Assert.True(expected.GetType() == actual.GetType(), $"{path}: expected a {expected.GetType().Name}, got a {actual.GetType().Name}");
        switch (expected)
        {
            case float f:
                Assert.True(BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)actual), $"{path}: expected {f:R}, got {actual:R}");
                return;
            case double d:
                Assert.True(BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)actual), $"{path}: expected {d:R}, got {actual:R}");
                return;
            case ReadOnlyMemory<byte> memory:
                Compare(memory.ToArray(), ((ReadOnlyMemory<byte>)actual).ToArray(), path);
                return;
            case Array array:
                var other = (Array)actual;
                Assert.True(array.Length == other.Length, $"{path}: expected {array.Length} elements, got {other.Length}");
                for (var i = 0; i < array.Length; i++) Compare(array.GetValue(i), other.GetValue(i), $"{path}[{i}]");
                return;
            case IWireMessage:
                foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
                return;
            case IDictionary map:
                var otherMap = (IDictionary)actual;
                Assert.True(map.Count == otherMap.Count, $"{path}: expected {map.Count} entries, got {otherMap.Count}");
                foreach (DictionaryEntry entry in map)
                {
                    Assert.True(otherMap.Contains(entry.Key), $"{path}[{entry.Key}]: missing");
                    Compare(entry.Value, otherMap[entry.Key], $"{path}[{entry.Key}]");
                }
                return;
            case IEnumerable and not string:
                Assert.Fail($"{path}: {expected.GetType().Name} is a collection this comparer does not handle; extend it");
                return;
            default:
                Assert.True(expected.Equals(actual), $"{path}: expected {Show(expected)}, got {Show(actual)}");
                return;
        }
    }

    private static string Show(object? value) => value is null ? "null" : $"'{value}'";
}
