import Model
import Training

public func tinyRunConfig(steps: Int) -> RunConfig {
    var config = RunConfig()
    config.seed = 4
    config.model = ModelConfig(dim: 16, layers: 1, heads: 2, mlpDim: 32, context: 16, tokenizer: .bytes, bpeVocab: 512, initStd: 0.02)
    config.train.steps = steps
    config.train.batchSize = 2
    config.train.groupSize = 2
    config.train.maxNewTokens = 3
    config.train.lr = 1e-2
    config.train.beta = 0.04
    config.train.iterations = 2
    config.train.checkpointEvery = 3
    config.eval.every = 2
    config.eval.maxNewTokens = 3
    config.eval.splits = ["seen", "irrelevant"]
    return config
}
