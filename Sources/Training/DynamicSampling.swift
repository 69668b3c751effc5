import Foundation

/// DAPO's dynamic sampling (`train.dynamic_sampling`; veRL `filter_groups`): groups whose
/// rewards all agree carry no signal and are dropped; more prompts are sampled until the batch
/// has `batch_size` groups or `max_resample_batches` more generation batches were drawn.
enum DynamicSampling {
    /// The groups (by index) whose rewards differ. `rewards` holds consecutive groups of
    /// `groupSize`; a group of one is always kept, as veRL does (it cannot be told apart).
    static func informativeGroups(rewards: [Double], groupSize: Int) -> [Int] {
        precondition(groupSize > 0 && rewards.count % groupSize == 0, "rewards must fill whole groups")
        return (0..<(rewards.count / groupSize)).filter { group in
            let values = rewards[(group * groupSize)..<((group + 1) * groupSize)]
            return groupSize == 1 || GroupAdvantages.standardDeviation(values, ddof: 0) >= 1e-8
        }
    }
}
