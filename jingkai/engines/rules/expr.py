"""A small, safe expression language for rule files, compiled to polars or to plain Python.

Rule files write values and tests as Python-like expressions over canonical keys, e.g.
``rd_expense / revenue``, ``revenue >= 1000 or equity_financing_2y >= 2000``,
``has(honors, 'high_tech_enterprise')``. The same text compiles to a polars expression (vectorised
over all enterprises) or to a closure over one row (the row-by-row reference path). Missing data
propagates as null; division by zero gives null; and/or/not follow three-valued (Kleene) logic.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any, NoReturn, cast

# What the compiler builds: a polars expression (PolarsBackend) or a closure row -> value (PythonBackend).
# The two backends share only the operation names, so both are typed Any and checked by the tests.
BackendExpr = Any
Backend = Any  # the PolarsBackend class or a PythonBackend instance

# Functions a rule file may call: name -> (min args, max args).
FUNCTIONS = {
    "min": (2, 9), "max": (2, 9), "coalesce": (2, 9), "floor": (1, 1), "abs": (1, 1),
    "has": (2, 2), "has_tag": (1, 1), "startswith": (2, 20), "isnull": (1, 1), "notnull": (1, 1), "year_of": (1, 1),
}
_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_CMPOPS = {ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Lt: "<", ast.Eq: "==", ast.NotEq: "!="}


class RuleError(ValueError):
    """A rule file that cannot be compiled: the message says where."""


def names(text: str) -> set[str]:
    """The canonical keys an expression reads."""
    tree = ast.parse(str(text), mode="eval")
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called}


def tags_used(text: str) -> set[str]:
    tree = ast.parse(str(text), mode="eval")
    return {
        cast(str, n.args[0].value) for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "has_tag"
        and n.args and isinstance(n.args[0], ast.Constant)
    }


def compile_expr(text: object, backend: Backend, where: str = "") -> BackendExpr:
    """Compile expression text (or a bare number/bool) with `backend` (PolarsBackend or PythonBackend)."""
    if isinstance(text, bool | int | float) or text is None:
        return backend.lit(text)
    try:
        tree = ast.parse(str(text), mode="eval")
    except SyntaxError as exc:
        raise RuleError(f"{where}: 表达式无法解析 {text!r}: {exc.msg}") from exc
    return _Compiler(backend, f"{where}: {text!r}").visit(tree.body)


class _Compiler(ast.NodeVisitor):
    def __init__(self, b: Backend, where: str) -> None:
        self.b, self.where = b, where

    def fail(self, what: str) -> NoReturn:
        raise RuleError(f"{self.where}: 不支持 {what}")

    def generic_visit(self, node: ast.AST) -> NoReturn:
        self.fail(type(node).__name__)

    def visit_Constant(self, node: ast.Constant) -> BackendExpr:
        return self.b.lit(node.value)

    def visit_Name(self, node: ast.Name) -> BackendExpr:
        if node.id in ("true", "True"):
            return self.b.lit(True)
        if node.id in ("false", "False"):
            return self.b.lit(False)
        return self.b.col(node.id)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> BackendExpr:
        x = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return self.b.not_(x)
        if isinstance(node.op, ast.USub):
            return self.b.arith("sub", self.b.lit(0), x)
        return x

    def visit_BinOp(self, node: ast.BinOp) -> BackendExpr:
        op = _BINOPS.get(type(node.op)) or self.fail(type(node.op).__name__)
        return self.b.arith(op, self.visit(node.left), self.visit(node.right))

    def visit_BoolOp(self, node: ast.BoolOp) -> BackendExpr:
        parts = [self.visit(v) for v in node.values]
        return self.b.all_(parts) if isinstance(node.op, ast.And) else self.b.any_(parts)

    def visit_Compare(self, node: ast.Compare) -> BackendExpr:
        parts, left = [], self.visit(node.left)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                if not isinstance(comp, ast.Tuple | ast.List):
                    self.fail("in 右侧须为常量列表")
                test = self.b.isin(left, [ast.literal_eval(e) for e in comp.elts])
                parts.append(self.b.not_(test) if isinstance(op, ast.NotIn) else test)
                continue
            right = self.visit(comp)
            parts.append(self.b.compare(_CMPOPS.get(type(op)) or self.fail(type(op).__name__), left, right))
            left = right
        return parts[0] if len(parts) == 1 else self.b.all_(parts)

    def visit_IfExp(self, node: ast.IfExp) -> BackendExpr:
        return self.b.where(self.visit(node.test), self.visit(node.body), self.visit(node.orelse))

    def visit_Call(self, node: ast.Call) -> BackendExpr:
        name = getattr(node.func, "id", None)
        if name not in FUNCTIONS:
            self.fail(f"函数 {name}")
        lo, hi = FUNCTIONS[cast(str, name)]
        if not lo <= len(node.args) <= hi:
            self.fail(f"{name} 的参数个数")
        if name == "has":
            return self.b.has(self.visit(node.args[0]), ast.literal_eval(node.args[1]))
        if name == "startswith":
            return self.b.startswith(self.visit(node.args[0]), [ast.literal_eval(a) for a in node.args[1:]])
        if name == "has_tag":
            return self.b.col(tag_column(ast.literal_eval(node.args[0])))
        return self.b.call(name, [self.visit(a) for a in node.args])


def tag_column(tag: str) -> str:
    return f"_tag__{tag}"


Fn = Callable[[dict[str, Any]], Any]  # the Python backend's compiled expression: row -> value
