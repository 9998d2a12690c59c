import Testing
import YAMLSubset

/// The YAML subset the OpenAPI document is written in, read as other YAML tools read it
/// (expected values checked against PyYAML's reading of the same text).
struct YAMLParserTests {
    private func json(_ yaml: String) throws -> String {
        try YAMLParser.parse(yaml).jsonText
    }

    @Test func nestedMappingsAndSequencesKeepDocumentOrder() throws {
        let yaml = """
            b: 1
            a:
              - x
              - k: v
                j: [1, two, 'three', "4"]
              -
                - nested
            c:
            - same indent
            # a comment
            d: {}
            """
        #expect(
            try json(yaml)
                == #"{"b":1,"a":["x",{"k":"v","j":[1,"two","three","4"]},["nested"]],"c":["same indent"],"d":{}}"#
        )
    }

    @Test func scalarsResolveByTheCoreSchema() throws {
        let yaml = """
            n: null
            t: ~
            e:
            yes: true
            no: False
            i: -042
            f: .5
            g: 1e300
            s: 1.2.3
            q: '12'
            date: 2026-11-22
            word: yes
            """
        #expect(
            try json(yaml)
                == #"{"n":null,"t":null,"e":null,"yes":true,"no":false,"i":-42,"f":0.5,"g":1e300,"s":"1.2.3","q":"12","date":"2026-11-22","word":"yes"}"#
        )
    }

    @Test func plainAndQuotedScalarsFoldAcrossLines() throws {
        let yaml = """
            plain: one
              two

              three # comment
            single: 'it''s
              folded'
            double: "tab\\tand \\u00e9 \\"q\\"
              next\\
              joined"
            key with spaces: v
            '200': ok
            """
        #expect(
            try json(yaml)
                == #"{"plain":"one two\nthree","single":"it's folded","double":"tab\tand é \"q\" nextjoined","key with spaces":"v","200":"ok"}"#
        )
    }

    @Test func blockScalarsKeepOrFoldLinesAndChomp() throws {
        let yaml = """
            literal: |
              line one
                indented

              last
            folded: >-
              a
              b

              c
                more
              d
            keep: |+
              x

            strip: |-
              y
            after: z
            """
        #expect(
            try json(yaml)
                == #"{"literal":"line one\n  indented\n\nlast\n","folded":"a b\nc\n  more\nd","keep":"x\n\n","strip":"y","after":"z"}"#
        )
    }

    @Test func flowCollectionsMaySpanLines() throws {
        let yaml = """
            list: [a, "b, c",
              {k: 1, 'q': [x]}]
            """
        #expect(try json(yaml) == #"{"list":["a","b, c",{"k":1,"q":["x"]}]}"#)
    }

    @Test func whatTheSubsetRefusesIsNamedWithItsLine() {
        let cases: [(String, Int)] = [
            ("a: 1\na: 2", 2),
            ("a: &anchor 1", 1),
            ("a: *alias", 1),
            ("a: !tag x", 1),
            ("a: 1\n   b: 2", 2),
            ("a: x: y", 1),
            ("a: 'open", 1),
            ("a: [1, 2", 1),
            ("--- \na: 1", 1),
        ]
        for (yaml, line) in cases {
            #expect(throws: YAMLError.self) { try YAMLParser.parse(yaml) }
            do {
                _ = try YAMLParser.parse(yaml)
            } catch {
                #expect(error.line == line, "\(yaml)")
            }
        }
    }

    @Test func jsonEscapesControlCharacters() throws {
        #expect(try json("a: \"\\x01\\e\"") == #"{"a":"\u0001\u001b"}"#)
    }
}
