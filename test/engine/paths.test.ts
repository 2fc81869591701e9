/**
 * Unit tests of the pure parts: JSONPath, payload templates and intrinsics, path processing and
 * Choice rules. No DynamoDB; the engine tests cover the same features end to end.
 */
import { describe, expect, it } from "vitest";
import { checkRule, evaluateRule } from "../../infra/local/engine/choice.ts";
import { loadDefinition } from "../../infra/local/engine/definition.ts";
import { DefinitionError, StatesError } from "../../infra/local/engine/errors.ts";
import { type Json, parsePath, placeAt, query } from "../../infra/local/engine/jsonpath.ts";
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  checkTemplate,
  resolveTemplate,
} from "../../infra/local/engine/payload.ts";

const context: Json = {
  Execution: { Id: "arn:exec", StartTime: "2024-01-01T00:00:00.000Z" },
  Task: { Token: "tok" },
};

function thrown(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatesError) return err;
    throw err;
  }
  throw new Error("expected a StatesError");
}

describe("JSONPath", () => {
  it("reads fields, bracket names, indexes, wildcards and the context object", () => {
    // Prepare
    const data: Json = { a: { b: [10, 20, { c: "x" }] }, "odd key": 1, list: [{ id: 1 }, { id: 2 }] };

    // Act / Assess
    expect(query(parsePath("$"), data, context)).toEqual({ found: true, value: data });
    expect(query(parsePath("$.a.b[1]"), data, context)).toEqual({ found: true, value: 20 });
    expect(query(parsePath("$.a.b[2].c"), data, context)).toEqual({ found: true, value: "x" });
    expect(query(parsePath("$['odd key']"), data, context)).toEqual({ found: true, value: 1 });
    expect(query(parsePath("$.list[*].id"), data, context)).toEqual({ found: true, value: [1, 2] });
    expect(query(parsePath("$$.Execution.Id"), data, context)).toEqual({ found: true, value: "arn:exec" });
    expect(query(parsePath("$.missing"), data, context)).toEqual({ found: false });
  });

  it("refuses filters, slices and recursive descent when a definition is loaded", () => {
    expect(() => parsePath("$..a")).toThrow(DefinitionError);
    expect(() => parsePath("$.a[?(@.b)]")).toThrow(DefinitionError);
    expect(() => parsePath("$.a[1:2]")).toThrow(DefinitionError);
    expect(() => parsePath("a.b")).toThrow(DefinitionError);
  });

  it("places a result at a reference path, creating objects, without touching the input", () => {
    // Prepare
    const input: Json = { keep: 1, deep: { x: 1 } };

    // Act
    const out = placeAt(parsePath("$.deep.new.leaf"), input, "v");

    // Assess
    expect(out).toEqual({ keep: 1, deep: { x: 1, new: { leaf: "v" } } });
    expect(input).toEqual({ keep: 1, deep: { x: 1 } });
  });

  it("fails with States.ResultPathMatchFailure through a non-object", () => {
    const error = thrown(() => placeAt(parsePath("$.a.b"), { a: "text" }, 1));
    expect(error.error).toBe("States.ResultPathMatchFailure");
  });
});

describe("paths of a state", () => {
  it("InputPath null gives {}, ResultPath null keeps the input, OutputPath null gives {}", () => {
    const input: Json = { a: 1 };
    expect(applyInputPath(null, input, context)).toEqual({});
    expect(applyInputPath(undefined, input, context)).toEqual(input);
    expect(applyResultPath(null, input, { r: 2 })).toEqual(input);
    expect(applyResultPath(undefined, input, { r: 2 })).toEqual({ r: 2 });
    expect(applyResultPath("$.r", input, 2)).toEqual({ a: 1, r: 2 });
    expect(applyOutputPath(null, input, context)).toEqual({});
    expect(applyOutputPath("$.a", input, context)).toBe(1);
  });

  it("a path that finds nothing is States.Runtime", () => {
    expect(thrown(() => applyInputPath("$.nope", { a: 1 }, context)).error).toBe("States.Runtime");
  });
});

describe("payload templates", () => {
  it("resolves .$ keys from data and context, recursing into objects and arrays", () => {
    // Prepare
    const template: Json = {
      fixed: "v",
      "id.$": "$.id",
      nested: { "token.$": "$$.Task.Token", list: [{ "n.$": "$.n" }, 3] },
    };

    // Act
    const out = resolveTemplate(template, { id: "i-1", n: 7 }, context);

    // Assess
    expect(out).toEqual({ fixed: "v", id: "i-1", nested: { token: "tok", list: [{ n: 7 }, 3] } });
  });

  it("evaluates States.Format, StringToJson, JsonToString, Array and UUID", () => {
    // Prepare
    const data: Json = { name: "Ishøj", n: 3, json: '{"a":[1,2]}', obj: { b: true } };
    const template: Json = {
      "greeting.$": "States.Format('Hej {}, du har {} frister \\{ikke {}\\}', $.name, $.n, 'nu')",
      "parsed.$": "States.StringToJson($.json)",
      "text.$": "States.JsonToString($.obj)",
      "list.$": "States.Array($.n, 'x', null, States.Array(1))",
      "id.$": "States.UUID()",
    };

    // Act
    const out = resolveTemplate(template, data, context) as Record<string, Json>;

    // Assess
    expect(out.greeting).toBe("Hej Ishøj, du har 3 frister {ikke nu}");
    expect(out.parsed).toEqual({ a: [1, 2] });
    expect(out.text).toBe('{"b":true}');
    expect(out.list).toEqual([3, "x", null, [1]]);
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses unknown intrinsics and bad syntax when checked", () => {
    expect(() => checkTemplate({ "a.$": "States.Hash($.x, 'MD5')" }, "here")).toThrow(/not supported/);
    expect(() => checkTemplate({ "a.$": "States.Format('x'" }, "here")).toThrow(DefinitionError);
    expect(() => checkTemplate({ "a.$": 3 }, "here")).toThrow(DefinitionError);
  });

  it("a failing intrinsic is States.IntrinsicFailure", () => {
    const error = thrown(() => resolveTemplate({ "a.$": "States.StringToJson($.s)" }, { s: "{no" }, context));
    expect(error.error).toBe("States.IntrinsicFailure");
  });
});

describe("Choice rules", () => {
  const input: Json = {
    s: "beta",
    n: 5,
    b: true,
    t: "2024-05-01T12:00:00Z",
    other: 5,
    nil: null,
    file: "report-2024.pdf",
  };
  const cases: [string, Json, boolean][] = [
    ["StringEquals", { Variable: "$.s", StringEquals: "beta" }, true],
    ["StringLessThan", { Variable: "$.s", StringLessThan: "gamma" }, true],
    ["StringGreaterThanEquals", { Variable: "$.s", StringGreaterThanEquals: "beta" }, true],
    ["StringMatches", { Variable: "$.file", StringMatches: "report-*.pdf" }, true],
    ["StringMatches escaped *", { Variable: "$.file", StringMatches: "report-\\*.pdf" }, false],
    ["StringEqualsPath", { Variable: "$.s", StringEqualsPath: "$.s" }, true],
    ["NumericEquals", { Variable: "$.n", NumericEquals: 5 }, true],
    ["NumericLessThan", { Variable: "$.n", NumericLessThan: 5 }, false],
    ["NumericGreaterThan", { Variable: "$.n", NumericGreaterThan: 4.5 }, true],
    ["NumericLessThanEquals", { Variable: "$.n", NumericLessThanEquals: 5 }, true],
    ["NumericGreaterThanEquals", { Variable: "$.n", NumericGreaterThanEquals: 6 }, false],
    ["NumericEqualsPath", { Variable: "$.n", NumericEqualsPath: "$.other" }, true],
    ["NumericEquals on a string is false", { Variable: "$.s", NumericEquals: 5 }, false],
    ["BooleanEquals", { Variable: "$.b", BooleanEquals: true }, true],
    ["TimestampLessThan", { Variable: "$.t", TimestampLessThan: "2024-05-01T13:00:00+00:00" }, true],
    ["TimestampEquals", { Variable: "$.t", TimestampEquals: "2024-05-01T14:00:00+02:00" }, true],
    ["IsPresent true", { Variable: "$.n", IsPresent: true }, true],
    ["IsPresent on missing", { Variable: "$.missing", IsPresent: true }, false],
    ["IsNull", { Variable: "$.nil", IsNull: true }, true],
    ["IsNumeric", { Variable: "$.s", IsNumeric: false }, true],
    ["IsString", { Variable: "$.s", IsString: true }, true],
    ["IsBoolean", { Variable: "$.b", IsBoolean: true }, true],
    ["IsTimestamp", { Variable: "$.t", IsTimestamp: true }, true],
    [
      "And",
      {
        And: [
          { Variable: "$.n", NumericGreaterThan: 1 },
          { Variable: "$.b", BooleanEquals: true },
        ],
      },
      true,
    ],
    [
      "Or",
      {
        Or: [
          { Variable: "$.n", NumericGreaterThan: 10 },
          { Variable: "$.s", StringEquals: "beta" },
        ],
      },
      true,
    ],
    ["Not", { Not: { Variable: "$.s", StringEquals: "beta" } }, false],
  ];

  it.each(cases)("%s", (_name, rule, expected) => {
    checkRule(rule, "rule", false);
    expect(evaluateRule(rule, input, context)).toBe(expected);
  });

  it("a Variable that does not resolve is States.Runtime (only IsPresent may ask)", () => {
    const error = thrown(() => evaluateRule({ Variable: "$.missing", StringEquals: "x" }, input, context));
    expect(error.error).toBe("States.Runtime");
  });

  it("refuses malformed rules when the definition loads", () => {
    expect(() => checkRule({ Variable: "$.a", NumericEquals: "5", Next: "X" }, "r", true)).toThrow(
      DefinitionError,
    );
    expect(() => checkRule({ Variable: "$.a", Next: "X" }, "r", true)).toThrow(DefinitionError);
    expect(() => checkRule({ Variable: "$.a", BooleanLessThan: true, Next: "X" }, "r", true)).toThrow(
      DefinitionError,
    );
  });
});

describe("definition checks", () => {
  it("refuses what the engine would not run like AWS, naming the state", () => {
    const machine = (state: Json) => ({ StartAt: "S", States: { S: state } });
    expect(() => loadDefinition(machine({ Type: "Map", End: true }))).toThrow(/State 'S': Map/);
    expect(() =>
      loadDefinition(machine({ Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true })),
    ).toThrow(/not supported/);
    expect(() =>
      loadDefinition(
        machine({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", HeartbeatSeconds: 5, End: true }),
      ),
    ).toThrow(/HeartbeatSeconds/);
    expect(() => loadDefinition(machine({ Type: "Pass", Next: "Nowhere" }))).toThrow(/Nowhere/);
    expect(() =>
      loadDefinition(
        machine({
          Type: "Task",
          Resource: "arn:aws:lambda:eu-north-1:123456789012:function:f",
          Catch: [{ ErrorEquals: ["States.ALL", "X"], Next: "S" }],
          End: true,
        }),
      ),
    ).toThrow(/States.ALL must be alone/);
  });
});
