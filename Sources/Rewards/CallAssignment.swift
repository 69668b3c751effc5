/// Assigning predicted calls to gold calls. `scores[g][p]` is what pairing gold call g with
/// predicted call p earns (0 for calls to different tools); each call is used at most once.
enum CallAssignment {
    /// The largest total over all one-to-one assignments (Hungarian algorithm, O(n³)).
    static func optimalTotal(_ scores: [[Double]]) -> Double {
        let rows = scores.count
        let columns = scores.first?.count ?? 0
        guard rows > 0, columns > 0 else { return 0 }
        let size = Swift.max(rows, columns)
        var largest = 0.0
        for row in scores { for value in row { largest = Swift.max(largest, value) } }
        // Minimise cost = largest − score on a square matrix padded with score 0.
        func cost(_ row: Int, _ column: Int) -> Double {
            row < rows && column < columns ? largest - scores[row][column] : largest
        }
        // Potentials method (1-based; column 0 is a sentinel). Scratch on the stack: this runs
        // once per scored completion.
        let width = size + 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * width) { doubles in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { ints in
                let rowPotential = doubles.baseAddress!, columnPotential = rowPotential + width, minimumSlack = columnPotential + width
                let rowOfColumn = ints.baseAddress!, previousColumn = rowOfColumn + width, visited = previousColumn + width
                rowPotential.initialize(repeating: 0, count: 2 * width)
                rowOfColumn.initialize(repeating: 0, count: 2 * width)
                for row in 1...size {
                    rowOfColumn[0] = row
                    var column = 0
                    minimumSlack.initialize(repeating: .infinity, count: width)
                    visited.initialize(repeating: 0, count: width)
                    repeat {
                        visited[column] = 1
                        let currentRow = rowOfColumn[column]
                        var delta = Double.infinity
                        var nextColumn = 0
                        for candidate in 1...size where visited[candidate] == 0 {
                            let slack = cost(currentRow - 1, candidate - 1) - rowPotential[currentRow] - columnPotential[candidate]
                            if slack < minimumSlack[candidate] {
                                minimumSlack[candidate] = slack
                                previousColumn[candidate] = column
                            }
                            if minimumSlack[candidate] < delta {
                                delta = minimumSlack[candidate]
                                nextColumn = candidate
                            }
                        }
                        for candidate in 0...size {
                            if visited[candidate] != 0 {
                                rowPotential[rowOfColumn[candidate]] += delta
                                columnPotential[candidate] -= delta
                            } else {
                                minimumSlack[candidate] -= delta
                            }
                        }
                        column = nextColumn
                    } while rowOfColumn[column] != 0
                    repeat {
                        let previous = previousColumn[column]
                        rowOfColumn[column] = rowOfColumn[previous]
                        column = previous
                    } while column != 0
                }
                var total = 0.0
                for column in 1...size {
                    let row = rowOfColumn[column] - 1
                    if row < rows, column - 1 < columns { total += scores[row][column - 1] }
                }
                return total
            }
        }
    }

    /// ToolRL's greedy matching: gold calls in order, each takes the unused prediction with the
    /// strictly highest score above 0 (ties go to the earliest). Can fall short of optimal.
    static func greedyTotal(_ scores: [[Double]]) -> Double {
        var used = [Bool](repeating: false, count: scores.first?.count ?? 0)
        var total = 0.0
        for row in scores {
            var best = 0.0
            var bestColumn = -1
            for (column, value) in row.enumerated() where !used[column] && value > best {
                best = value
                bestColumn = column
            }
            if bestColumn >= 0 {
                used[bestColumn] = true
                total += best
            }
        }
        return total
    }

    /// Exhaustive search, for checking the other two on small inputs.
    static func bruteForceTotal(_ scores: [[Double]]) -> Double {
        let columns = scores.first?.count ?? 0
        var used = [Bool](repeating: false, count: columns)
        func search(_ row: Int) -> Double {
            guard row < scores.count else { return 0 }
            var best = search(row + 1)  // leave this gold call unmatched
            for column in 0..<columns where !used[column] {
                used[column] = true
                best = Swift.max(best, scores[row][column] + search(row + 1))
                used[column] = false
            }
            return best
        }
        return search(0)
    }
}
