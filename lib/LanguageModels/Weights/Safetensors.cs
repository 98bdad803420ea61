using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>, then the raw
/// bytes. Small enough to read and write directly.
/// </summary>
public static class Safetensors
{
    static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["F64"] = ScalarType.Float64,
    };

    /// <summary>Every floating-point tensor of the file, as float32 on the CPU (integer buffers are skipped).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file);
        var headerLength = reader.ReadInt64();
        if (headerLength <= 0 || headerLength > file.Length - 8)
            throw new InvalidDataException($"{path} is not a safetensors file (header length {headerLength}).");
        var header = JsonNode.Parse(reader.ReadBytes((int)headerLength))!.AsObject();
        var dataStart = 8 + headerLength;
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
                continue;
            var dtype = node!["dtype"]!.GetValue<string>();
            if (!DTypes.TryGetValue(dtype, out var scalarType))
                continue;
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            file.Position = dataStart + offsets[0];
            var bytes = reader.ReadBytes((int)(offsets[1] - offsets[0]));
            var t = empty(shape, dtype: scalarType);
            if (bytes.Length != t.NumberOfElements * t.ElementSize)
                throw new InvalidDataException(
                    $"{path}: tensor '{name}' has {bytes.Length} bytes for shape "
                        + $"[{string.Join(", ", shape)}] {dtype}."
                );
            t.bytes = bytes;
            result[name] = scalarType == ScalarType.Float32 ? t : t.to(float32);
        }
        return result;
    }

    /// <summary>Writes float32 tensors (used by tests to make tiny checkpoints).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var header = new JsonObject();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            var bytes = t.to(float32).cpu().contiguous().bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = File.Create(path);
        using var writer = new BinaryWriter(file);
        writer.Write((long)headerBytes.Length);
        writer.Write(headerBytes);
        foreach (var b in blobs)
            writer.Write(b);
    }
}
