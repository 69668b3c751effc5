import Basics
import Foundation

/// Where each parameter lives in a `Transformer`'s single parameter allocation.
///
/// Names: `token_embedding` [V, C] (also the LM head: the output projection is tied to it, as in
/// GPT-2, which saves V·C parameters and needs no separate init), `position_embedding`
/// [context, C], per block `layers.<l>.ln1.weight|bias` [C], `layers.<l>.attention.qkv.weight`
/// [3C, C], `.attention.qkv.bias` [3C], `.attention.proj.weight` [C, C], `.attention.proj.bias`
/// [C], `.ln2.weight|bias` [C], `.mlp.fc.weight` [M, C], `.mlp.fc.bias` [M],
/// `.mlp.proj.weight` [C, M], `.mlp.proj.bias` [C], then `final_norm.weight|bias` [C].
struct TransformerLayout {
    /// Offsets of one block's parameters inside the buffer.
    struct Block {
        var ln1Weight = 0, ln1Bias = 0, qkvWeight = 0, qkvBias = 0, projWeight = 0, projBias = 0
        var ln2Weight = 0, ln2Bias = 0, fcWeight = 0, fcBias = 0, fcProjWeight = 0, fcProjBias = 0
    }

    let views: [ParameterView]
    let tokenEmbedding: Int
    let positionEmbedding: Int
    let blocks: [Block]
    let finalNormWeight: Int
    let finalNormBias: Int

    init(config: ModelConfig, vocabularySize V: Int) {
        let C = config.dim, M = config.mlpDim
        var views: [ParameterView] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let view = ParameterView(name: name, offset: offset, shape: shape)
            views.append(view)
            offset += view.count
            return view.offset
        }
        tokenEmbedding = add("token_embedding", [V, C])
        positionEmbedding = add("position_embedding", [config.context, C])
        var blocks: [Block] = []
        for l in 0..<config.layers {
            let p = "layers.\(l)."
            var block = Block()
            block.ln1Weight = add(p + "ln1.weight", [C])
            block.ln1Bias = add(p + "ln1.bias", [C])
            block.qkvWeight = add(p + "attention.qkv.weight", [3 * C, C])
            block.qkvBias = add(p + "attention.qkv.bias", [3 * C])
            block.projWeight = add(p + "attention.proj.weight", [C, C])
            block.projBias = add(p + "attention.proj.bias", [C])
            block.ln2Weight = add(p + "ln2.weight", [C])
            block.ln2Bias = add(p + "ln2.bias", [C])
            block.fcWeight = add(p + "mlp.fc.weight", [M, C])
            block.fcBias = add(p + "mlp.fc.bias", [M])
            block.fcProjWeight = add(p + "mlp.proj.weight", [C, M])
            block.fcProjBias = add(p + "mlp.proj.bias", [C])
            blocks.append(block)
        }
        finalNormWeight = add("final_norm.weight", [C])
        finalNormBias = add("final_norm.bias", [C])
        self.views = views
        self.blocks = blocks
    }

    /// GPT-2 initialisation: weights and embeddings normal(0, init_std); the two projections
    /// that write into the residual stream (attention.proj, mlp.proj) scaled by 1/√(2·layers);
    /// biases 0; norm weights 1. Views are filled in layout order from one generator.
    func initialise(_ parameters: ParameterBuffer, config: ModelConfig, seed: UInt64) {
        var random = RandomGenerator(seed: seed)
        let residualScale = 1 / (2 * Double(config.layers)).squareRoot()
        for view in views {
            let p = parameters.pointer + view.offset
            if view.name.hasSuffix("ln1.weight") || view.name.hasSuffix("ln2.weight") || view.name == "final_norm.weight" {
                p.update(repeating: 1, count: view.count)
            } else if view.isMatrix {
                var std = config.initStd
                if view.name.hasSuffix("attention.proj.weight") || view.name.hasSuffix("mlp.proj.weight") {
                    std *= residualScale
                }
                for i in 0..<view.count { p[i] = Float(random.nextNormal(standardDeviation: std)) }
            } else {
                p.update(repeating: 0, count: view.count)
            }
        }
    }
}
