import Foundation
import NewsTestSupport
import Testing

/// Scores `newsflow extract-html` on the article-extraction dev pages with the benchmark's own scorer
/// (scripts/html_eval.py → ../shared/eval/html-score.py) and fails below the floor: the target
/// (0.965) is the floor, the dev score is 0.977.
@Suite struct ArticleExtractionEvaluationTests {
    static let pages = repoPath("../shared/data/article-extraction/dev")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: pages + "/ground-truth.json")))
    func devPagesScoreAtLeastTheTarget() throws {
        let result = try runProcess(
            "/usr/bin/env", ["python3", "scripts/html_eval.py", "--bin", newsflowBinary(), "--min-f1", "0.965"],
            timeLimit: .seconds(300))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("    83       0"), "every page has a prediction: \(result.stdout)")
    }
}
