using System.Runtime.InteropServices;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Reads a BERT's weights out of an ONNX graph exported from Hugging Face. Embeddings, LayerNorms and biases keep their
/// Hugging Face names there, but the exporter renamed every matmul weight to a number ("927") and stored it [in, out].
/// Each such weight feeds a MatMul whose output goes into an Add with a named bias: the bias name gives the weight's
/// name.
/// </summary>
public static class OnnxWeights
{
    /// <summary>float32 tensors on the CPU under Hugging Face names, linear weights as [out, in].</summary>
    public static Dictionary<string, Tensor> ReadHuggingFaceNamed(Stream onnx)
    {
        var graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var weights = new Dictionary<string, Tensor>();
        foreach (var init in graph.Initializer)
            if (init.Name.Contains('.') && init.DataType == (int)TensorProto.Types.DataType.Float)
                weights[init.Name] = ToTensor(init);

        foreach (
            var matmul in graph.Node.Where(n =>
                n.OpType == "MatMul" && n.Input.Count == 2 && initializers.ContainsKey(n.Input[1])
            )
        )
        {
            var product = matmul.Output[0];
            var add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(product))
                ?? throw new InvalidDataException(
                    $"ONNX MatMul '{matmul.Name}' (weight '{matmul.Input[1]}') " + $"feeds no Add with a bias."
                );
            var bias = add.Input.First(i => i != product);
            if (!bias.EndsWith(".bias"))
                throw new InvalidDataException(
                    $"ONNX MatMul weight '{matmul.Input[1]}' is added to '{bias}', not to " + $"a named bias."
                );
            using var stored = ToTensor(initializers[matmul.Input[1]]); // [in, out]
            weights[bias[..^".bias".Length] + ".weight"] = stored.t().contiguous();
        }
        return weights;
    }

    static Tensor ToTensor(TensorProto t)
    {
        var shape = t.Dims.ToArray();
        var values =
            t.RawData.Length > 0
                // raw_data is little-endian, as is this machine
                ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray()
                : t.FloatData.ToArray();
        return tensor(values, shape, dtype: float32);
    }
}
