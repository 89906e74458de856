internal import NewsCore

/// Finds the article in a parsed page and renders it as paragraphs.
///
/// One pass over the DOM builds a flat mirror of the elements that can hold article text (page furniture
/// such as scripts, navigation and blocks whose class or id names boilerplate are left out), with each
/// element's text length, link text and commas summed over its subtree. Then, as Readability does, every
/// paragraph-like block scores its parent and grandparent by its length and commas; a container's score is
/// weighed by its class and id (`article-body` up, `sidebar` down) and by how little of its text is links.
/// The best container and those of its siblings that score close to it, or are plain paragraphs, are the
/// article; inside them, link lists and tiny link-heavy blocks are dropped while rendering.
struct ContentExtractor: Sendable {
    let droppedElements: Set<String>
    let boilerplateMarkers: MarkerWords
    let contentMarkers: MarkerWords
    let maxDepth: Int

    /// One element of the page, in document order (a parent comes before its descendants).
    private struct Block {
        var node: HTMLNode
        var parent: Int
        var depth: Int
        var name: String
        var classWeight: Double
        /// Letters and digits of text in the subtree, and of text inside links.
        var textLength = 0
        var linkTextLength = 0
        var commas = 0
        /// Text directly inside this element, outside child elements.
        var ownTextLength = 0
        var ownLinkTextLength = 0
        var ownCommas = 0
        var score = 0.0
        var isCandidate = false
        /// Named as boilerplate by its class or id (and not also as content).
        var isBoilerplate = false
        /// Inside a boilerplate block: its paragraphs score nothing and it is not rendered.
        var inBoilerplate = false
        /// Holds an embedded post (`blockquote.twitter-tweet`): quoted in the story, so never boilerplate
        /// even inside a `social` wrapper.
        var holdsEmbeddedPost = false

        var linkDensity: Double { textLength == 0 ? 0 : Double(linkTextLength) / Double(textLength) }
    }

    struct Result {
        var text: String
        var depthExceeded: Bool
    }

    func extract(from root: HTMLNode) -> Result {
        var blocks: [Block] = []
        var removed = Set<UnsafeMutableRawPointer>()
        var depthExceeded = false
        build(root, into: &blocks, removed: &removed, depthExceeded: &depthExceeded)
        guard !blocks.isEmpty else { return Result(text: "", depthExceeded: depthExceeded) }
        // The wrapper test needs whole-page sums, so boilerplate is decided after the first sums and the
        // sums are redone without it.
        dropBoilerplate(&blocks, removed: &removed)
        score(&blocks)
        let chosen = articleBlocks(blocks)
        dropInsideArticle(blocks, removed: &removed)
        var text = TextAccumulator()
        for index in chosen {
            render(blocks[index].node, depth: blocks[index].depth, removed: removed, into: &text)
        }
        return Result(text: text.finish(), depthExceeded: depthExceeded)
    }

    // MARK: The mirror

    private func build(
        _ root: HTMLNode, into blocks: inout [Block], removed: inout Set<UnsafeMutableRawPointer>, depthExceeded: inout Bool
    ) {
        // (node, parent block, depth, inside a link)
        var stack: [(HTMLNode, Int, Int, Bool)] = [(root, -1, 0, false)]
        while let (node, parent, depth, inLink) = stack.popLast() {
            if node.isText {
                guard parent >= 0 else { continue }
                let (letters, commas) = node.withTextBytes(Self.measure)
                blocks[parent].ownTextLength += letters
                blocks[parent].ownCommas += commas
                if inLink { blocks[parent].ownLinkTextLength += letters }
                continue
            }
            guard node.isElement else { continue }
            guard depth < maxDepth else {
                depthExceeded = true
                continue
            }
            let name = node.name
            if droppedElements.contains(name) || node.attribute("hidden") != nil || Self.isHiddenByStyle(node) {
                removed.insert(node.identity)
                continue
            }
            let naming = classify(node)
            var block = Block(node: node, parent: parent, depth: depth, name: name, classWeight: naming.namesContent ? 25 : 0)
            block.isBoilerplate = name != "html" && name != "body" && naming.isBoilerplate
            block.holdsEmbeddedPost = name == "blockquote" && naming.isEmbeddedPost
            blocks.append(block)
            let index = blocks.count - 1
            let isLink = inLink || name == "a"
            var children: [HTMLNode] = []
            for child in node.children { children.append(child) }
            for child in children.reversed() { stack.append((child, index, depth + 1, isLink)) }
        }
        Self.sumSubtrees(&blocks)
    }

    /// Adds every block's text to its ancestors', leaving out boilerplate blocks: children follow their
    /// parents, so one backward sweep does it. `ownTextLength` is kept as measured.
    private static func sumSubtrees(_ blocks: inout [Block]) {
        for index in blocks.indices {
            blocks[index].textLength = blocks[index].ownTextLength
            blocks[index].linkTextLength = blocks[index].ownLinkTextLength
            blocks[index].commas = blocks[index].ownCommas
        }
        for index in blocks.indices.reversed() where blocks[index].parent >= 0 {
            let parent = blocks[index].parent
            if blocks[index].holdsEmbeddedPost { blocks[parent].holdsEmbeddedPost = true }
            guard !blocks[index].inBoilerplate else { continue }
            blocks[parent].textLength += blocks[index].textLength
            blocks[parent].linkTextLength += blocks[index].linkTextLength
            blocks[parent].commas += blocks[index].commas
        }
    }

    /// Boilerplate blocks are dropped, except one that holds most of the page's text: a wrapper whose class
    /// says something else (`m-advertisement-off-canvas--pusher` around a whole page).
    private func dropBoilerplate(_ blocks: inout [Block], removed: inout Set<UnsafeMutableRawPointer>) {
        let total = blocks[0].textLength
        for index in blocks.indices
        where blocks[index].isBoilerplate && (blocks[index].textLength * 2 > total || blocks[index].holdsEmbeddedPost) {
            blocks[index].isBoilerplate = false
        }
        for index in blocks.indices {
            let parent = blocks[index].parent
            blocks[index].inBoilerplate = blocks[index].isBoilerplate || (parent >= 0 && blocks[parent].inBoilerplate)
            if blocks[index].isBoilerplate { removed.insert(blocks[index].node.identity) }
        }
        Self.sumSubtrees(&blocks)
    }

    /// `style="display: none"`: markup kept for scripts and crawlers (dates, image URLs), never shown.
    private static func isHiddenByStyle(_ node: HTMLNode) -> Bool {
        node.withAttributeBytes("style") { style in
            // Lower-cased, without whitespace (`display: none`), over bytes: styles are on many elements.
            let compact = style.filter { !$0.isASCIIWhitespace }.map(\.asciiLowercased)
            return hiddenStyles.contains { compact.firstIndex(ofBytes: $0) != nil }
        } ?? false
    }

    private static let hiddenStyles = [Array("display:none".utf8), Array("visibility:hidden".utf8)]

    /// Letters and digits, and commas, in a text node (whitespace and punctuation do not make an article).
    private static func measure(_ text: UnsafeBufferPointer<UInt8>) -> (letters: Int, commas: Int) {
        var letters = 0, commas = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte < 0x80 {
                // ASCII, most of the text of most pages, without decoding or a Unicode property lookup.
                if byte == 0x2C {
                    commas += 1
                } else if (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) {
                    letters += 1
                }
                index += 1
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(text, at: index)
            if scalar == "，" || scalar == "、" {
                commas += 1
            } else if scalar.properties.isAlphabetic {
                letters += 1
            }
            index += length
        }
        return (letters, commas)
    }

    /// What an element's class and id say about it.
    private struct Naming {
        /// A class or id word names article content (`article-body`): the block scores higher.
        var namesContent = false
        /// Some class or id names boilerplate, and none names only content. Readability keeps a block named
        /// both ways (`article modal-enabled`); here that holds when the names are separate, while one name
        /// that says both (`article-related-stories`) is boilerplate.
        var isBoilerplate = false
        /// `twitter-tweet`, `instagram-media`: the markup of a post embedded in the story.
        var isEmbeddedPost = false
    }

    private static let embeddedPostWords = MarkerWords(["twitter", "instagram", "tiktok"])

    /// Matches markers against the words of each class name and of the id (see `ClassWords`).
    private func classify(_ node: HTMLNode) -> Naming {
        var naming = Naming()
        var anyBoilerplate = false, anyPureContent = false
        for attribute: StaticString in ["class", "id"] {
            node.withAttributeBytes(attribute) { bytes in
                var current = -1
                var content = false, boilerplate = false
                func finishName() {
                    anyBoilerplate = anyBoilerplate || boilerplate
                    anyPureContent = anyPureContent || (content && !boilerplate)
                    content = false
                    boilerplate = false
                }
                ClassWords.forEachWord(in: bytes) { name, word in
                    if name != current {
                        finishName()
                        current = name
                    }
                    if contentMarkers.matches(word) {
                        content = true
                        naming.namesContent = true
                    }
                    if boilerplateMarkers.matches(word) { boilerplate = true }
                    if Self.embeddedPostWords.matches(word) { naming.isEmbeddedPost = true }
                }
                finishName()
            }
        }
        naming.isBoilerplate = anyBoilerplate && !anyPureContent
        return naming
    }

    // MARK: Scoring

    private static let paragraphElements: Set<String> = ["p", "pre", "td", "blockquote"]

    private func score(_ blocks: inout [Block]) {
        for index in blocks.indices where !blocks[index].inBoilerplate {
            let block = blocks[index]
            let isParagraph = Self.paragraphElements.contains(block.name)
                || (["div", "section", "article", "span"].contains(block.name) && block.ownTextLength >= 100)
            let text = isParagraph ? (block.name == "p" || block.name == "pre" ? block.textLength : block.ownTextLength) : 0
            guard text >= 20 else { continue }
            let points = 1 + Double(block.commas) + min(Double(text) / 100, 3)
            var ancestor = block.parent
            var level = 0
            while ancestor >= 0, level < 3 {
                if !blocks[ancestor].isCandidate {
                    blocks[ancestor].isCandidate = true
                    blocks[ancestor].score = Self.tagWeight(blocks[ancestor].name) + blocks[ancestor].classWeight
                }
                blocks[ancestor].score += points / Double(level == 0 ? 1 : level * 2)
                ancestor = blocks[ancestor].parent
                level += 1
            }
        }
        for index in blocks.indices where blocks[index].isCandidate {
            blocks[index].score *= 1 - blocks[index].linkDensity
        }
    }

    private static func tagWeight(_ name: String) -> Double {
        switch name {
        case "article": 10
        case "div", "main", "section": 5
        case "pre", "td", "blockquote": 3
        case "ol", "ul", "dl", "dd", "dt", "li", "address": -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": -5
        default: 0
        }
    }

    /// The best container, with the siblings that belong to the same article, in document order.
    private func articleBlocks(_ blocks: [Block]) -> [Int] {
        let ranked = blocks.indices.filter { blocks[$0].isCandidate }.sorted { blocks[$0].score > blocks[$1].score }
        // No paragraph anywhere: the whole page, as it stands.
        guard var top = ranked.first else { return [0] }
        func isAncestor(_ ancestor: Int, of index: Int) -> Bool {
            var cursor = blocks[index].parent
            while cursor >= 0, cursor != ancestor { cursor = blocks[cursor].parent }
            return cursor == ancestor
        }
        // Paragraphs each in their own box (`card > card-content > p`): when three of the best five
        // candidates score close to the top one, the article is their common ancestor.
        let close = ranked.dropFirst().prefix(4).filter { blocks[$0].score >= blocks[top].score * 0.75 }
        if close.count >= 2 {
            var ancestor = blocks[top].parent
            while ancestor > 0, close.filter({ isAncestor(ancestor, of: $0) }).count < 2 { ancestor = blocks[ancestor].parent }
            if ancestor > 0 { top = ancestor }
        }
        // A parent that scores higher than the way up to it is the article's container.
        var lastScore = blocks[top].score
        var ancestor = blocks[top].parent
        while ancestor > 0, blocks[ancestor].name != "body" {
            if blocks[ancestor].isCandidate {
                if blocks[ancestor].score < blocks[top].score / 3 { break }
                if blocks[ancestor].score > lastScore {
                    top = ancestor
                    break
                }
                lastScore = blocks[ancestor].score
            }
            ancestor = blocks[ancestor].parent
        }
        // An only child stands for its parent.
        var childCount = [Int](repeating: 0, count: blocks.count)
        for block in blocks where block.parent >= 0 && !block.inBoilerplate { childCount[block.parent] += 1 }
        while blocks[top].parent > 0, blocks[blocks[top].parent].name != "body", childCount[blocks[top].parent] == 1 {
            top = blocks[top].parent
        }
        let parent = blocks[top].parent
        guard parent >= 0 else { return [top] }
        let threshold = max(10, blocks[top].score * 0.2)
        var chosen: [Int] = []
        for index in blocks.indices where blocks[index].parent == parent && !blocks[index].inBoilerplate {
            let sibling = blocks[index]
            if index == top || (sibling.isCandidate && sibling.score >= threshold) {
                chosen.append(index)
            } else if sibling.name == "p" {
                if sibling.textLength > 80 && sibling.linkDensity < 0.25 { chosen.append(index) }
            }
        }
        return chosen
    }

    // MARK: Rendering

    /// Inside the article, what reads as furniture once the article is found: the headline (the record has
    /// it as `title`), lists that are mostly links (related stories, tags), and short link lines
    /// (`Read more: …`).
    private func dropInsideArticle(_ blocks: [Block], removed: inout Set<UnsafeMutableRawPointer>) {
        var headlineSeen = false
        for block in blocks where !block.inBoilerplate {
            switch block.name {
            case "h1":
                if !headlineSeen { removed.insert(block.node.identity) }
                headlineSeen = true
            case "ul", "ol":
                if block.linkDensity > 0.5 { removed.insert(block.node.identity) }
            case "p", "li", "dd", "h2", "h3", "h4", "h5", "h6":
                if block.textLength > 0, block.textLength < 200, block.linkDensity > 0.7 { removed.insert(block.node.identity) }
            default:
                break
            }
        }
    }

    /// Elements that start and end a paragraph of the rendered text.
    private static let blockElements: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
        "dd", "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption", "hr", "address", "center",
        "details", "summary", "caption", "body",
    ]

    private func render(_ node: HTMLNode, depth: Int, removed: Set<UnsafeMutableRawPointer>, into text: inout TextAccumulator) {
        guard depth < maxDepth, !removed.contains(node.identity) else { return }
        let name = node.name
        if name == "br" {
            text.lineBreak()
            return
        }
        let isBlock = Self.blockElements.contains(name)
        if isBlock { text.paragraphBreak() }
        for child in node.children {
            if child.isText {
                child.withTextBytes { text.append($0) }
            } else if child.isElement {
                render(child, depth: depth + 1, removed: removed, into: &text)
            }
        }
        if isBlock { text.paragraphBreak() }
    }
}
