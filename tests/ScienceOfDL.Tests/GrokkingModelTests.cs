using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class GrokkingModelTests
{
    [Fact]
    public void The_papers_model_has_the_papers_shapes()
    {
        var table = OperationTable.Create(113);
        using var model = new Transformer(TransformerConfig.For(table), seed: 0);
        Assert.Equal(new long[] { 114, 128 }, model.W_E.shape);
        Assert.Equal(new long[] { 3, 128 }, model.W_pos.shape);
        Assert.Equal(new long[] { 128, 128 }, model.W_Q.shape);
        Assert.Equal(new long[] { 128, 512 }, model.W_in.shape);
        Assert.Equal(new long[] { 512, 128 }, model.W_out.shape);
        Assert.Equal(new long[] { 128, 113 }, model.W_U.shape);
        Assert.Equal(11, model.Parameters.Count);
        // Init as in Nanda et al.: N(0, 1/d_model) weights, so each row of W_E has norm about 1.
        Assert.InRange(model.W_E.norm().item<float>() / Math.Sqrt(114), 0.9, 1.1);
        Assert.Equal(0, model.b_in.abs().sum().item<float>());

        using var acts = new Activations();
        using var tokens = table.Tokens([0, 1, 2, 3, 4]);
        using var logits = model.Forward(tokens, acts);
        Assert.Equal(new long[] { 5, 113 }, logits.shape);
        Assert.Equal(new long[] { 5, 3, 128 }, acts["embed"].shape);
        Assert.Equal(new long[] { 5, 4, 3 }, acts["attn.pattern"].shape);
        Assert.Equal(new long[] { 5, 512 }, acts["mlp.post"].shape);
        Assert.True(acts["attn.pattern"].sum(2).allclose(ones(5, 4)));
        Assert.True(acts["logits"].allclose(logits));
    }

    [Fact]
    public void Same_seed_same_weights_other_seed_other_weights()
    {
        var cfg = TransformerConfig.For(OperationTable.Create(11)) with { DModel = 16, DHead = 4, DMlp = 32 };
        using var a = new Transformer(cfg, seed: 1);
        using var b = new Transformer(cfg, seed: 1);
        using var c = new Transformer(cfg, seed: 2);
        Assert.True(a.W_in.eq(b.W_in).all().item<bool>());
        Assert.False(a.W_in.eq(c.W_in).all().item<bool>());
    }

    [Fact]
    public void Forward_matches_a_plain_full_sequence_transformer()
    {
        // The model computes only the "=" position and looks up per-(position, token) projections; the plain causal
        // transformer over all three positions (the library's reference, which notebook 04 shows) must give the same
        // logits.
        var table = OperationTable.Create(11);
        var cfg = TransformerConfig.For(table) with { DModel = 16, DHead = 4, DMlp = 32 };
        using var m = new Transformer(cfg, seed: 4);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = table.Tokens(Enumerable.Range(0, 20).ToArray());
        var expected = PlainTransformer.Forward(m, tokens);
        Assert.True(m.Forward(tokens).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }
}
