//! The module paths a file names in its code, read from its tokens: `crate::a::b`,
//! `super::x`, `self::y`, and every leaf of a `use` tree (`crate::k::{a, b::{c, self}}`
//! names `k::a`, `k::b::c` and `k::b`), each made absolute from the crate root.
//!
//! The input is code with comments and literals already blanked (`code_only`), so a doc
//! link or a string is never read as a path. Inline modules (`mod tests { use super::*; }`)
//! are followed, so that `super` inside one means the file's own module.

/// One token: an identifier or keyword, or one punctuation character (`::` is one token).
#[derive(Debug)]
struct Token {
    text: String,
    line: usize,
}

/// The tokens of `code` with their 1-based lines; whitespace separates, nothing else is
/// dropped.
fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let text = chars[start..i].iter().collect();
            out.push(Token { text, line });
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

/// Whether `text` is an identifier (or keyword).
fn is_word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_alphanumeric() || c == '_')
}

/// One path a use tree (or a plain path) names: its segments as written, the 1-based line
/// of its last segment, and the alias it is imported as (`… as name`), if any.
#[derive(Debug, PartialEq)]
struct Leaf {
    line: usize,
    written: Vec<String>,
    alias: Option<String>,
}

/// Reads the use tree (or plain path) that starts at `tokens[at]`, below `prefix`; pushes
/// each of its leaves to `out` and returns the index just past the tree.
fn read_tree(tokens: &[Token], at: usize, prefix: &[String], out: &mut Vec<Leaf>) -> usize {
    let text = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    let Some(token) = tokens.get(at) else {
        return at;
    };
    match text(at) {
        "{" => {
            let mut i = at + 1;
            while i < tokens.len() {
                match text(i) {
                    "}" => return i + 1,
                    "," => i += 1,
                    _ => {
                        i = read_tree(tokens, i, prefix, out).max(i + 1);
                        // Skip what the grammar does not expect, up to the next item.
                        while i < tokens.len() && text(i) != "," && text(i) != "}" {
                            i += 1;
                        }
                    }
                }
            }
            i
        }
        // A glob names the module it is in.
        "*" => {
            out.push(Leaf {
                line: token.line,
                written: prefix.to_vec(),
                alias: None,
            });
            at + 1
        }
        word if is_word(word) => {
            let mut written = prefix.to_vec();
            written.push(word.to_string());
            let next = text(at + 2);
            if text(at + 1) == "::" && (is_word(next) || next == "{" || next == "*") {
                return read_tree(tokens, at + 2, &written, out);
            }
            let aliased = text(at + 1) == "as" && is_word(text(at + 2));
            out.push(Leaf {
                line: token.line,
                written,
                alias: aliased.then(|| text(at + 2).to_string()),
            });
            if aliased { at + 3 } else { at + 1 }
        }
        _ => at + 1,
    }
}

/// `written` (segments as written: `crate`, `super`, `self`, names) made absolute, for
/// code in the module `here`.
fn absolute(here: &[String], written: &[String]) -> Vec<String> {
    let mut path = here.to_vec();
    for (i, segment) in written.iter().enumerate() {
        match segment.as_str() {
            "crate" if i == 0 => path.clear(),
            "super" => {
                path.pop();
            }
            "self" => {}
            name => path.push(name.to_string()),
        }
    }
    path
}

/// The module each token is in: `file_module` and the inline modules (`mod name { … }`)
/// around it.
fn enclosing_modules(tokens: &[Token], file_module: &[String]) -> Vec<Vec<String>> {
    let mut here = file_module.to_vec();
    let mut open: Vec<usize> = Vec::new(); // the brace depth inside each inline module
    let mut depth = 0;
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        out.push(here.clone());
        match t.text.as_str() {
            "{" => {
                depth += 1;
                let opens_module =
                    i >= 2 && tokens[i - 2].text == "mod" && is_word(&tokens[i - 1].text);
                if opens_module {
                    here.push(tokens[i - 1].text.clone());
                    open.push(depth);
                }
            }
            "}" => {
                if open.last() == Some(&depth) {
                    open.pop();
                    here.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    out
}

/// Every path that `code` (of the module `file_module`, its segments from the crate root)
/// names from `crate`, `super` or `self`, made absolute, with the 1-based line of its last
/// segment. `$crate::` (a macro's) and the tail of a longer path (`x::self::`) are not
/// read.
pub fn absolute_paths(code: &str, file_module: &[String]) -> Vec<(usize, Vec<String>)> {
    let tokens = tokens(code);
    let modules = enclosing_modules(&tokens, file_module);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = ["crate", "super", "self"].contains(&tokens[i].text.as_str())
            && tokens.get(i + 1).is_some_and(|t| t.text == "::")
            && !(i > 0 && (tokens[i - 1].text == "::" || tokens[i - 1].text == "$"));
        if !starts_path {
            i += 1;
            continue;
        }
        let mut leaves = Vec::new();
        let next = read_tree(&tokens, i, &[], &mut leaves);
        for leaf in leaves {
            found.push((leaf.line, absolute(&modules[i], &leaf.written)));
        }
        i = next.max(i + 1);
    }
    found
}

/// Whether the `use` at `tokens[at]` is public: `pub use`, or `pub(…) use`.
fn is_pub_use(tokens: &[Token], at: usize) -> bool {
    let before = |k: usize| at.checked_sub(k).map_or("", |k| tokens[k].text.as_str());
    if before(1) == "pub" {
        return true;
    }
    if before(1) != ")" {
        return false;
    }
    let open = (0..at - 1).rev().find(|&k| tokens[k].text == "(");
    open.is_some_and(|k| k >= 1 && tokens[k - 1].text == "pub")
}

/// `(name, absolute path)` for every item that a `pub use` (or `pub(…) use`) of `code`
/// re-exports, `code` being a file of the module `file_module`, the name being its alias
/// where it has one. A path that does not start with `crate`, `super` or `self` is read as
/// relative to the module (a child module; or an outside crate, whose path then names no
/// module of this one).
pub fn reexports(code: &str, file_module: &[String]) -> Vec<(String, Vec<String>)> {
    let tokens = tokens(code);
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.text != "use" || !is_pub_use(&tokens, i) {
            continue;
        }
        let mut leaves = Vec::new();
        read_tree(&tokens, i + 1, &[], &mut leaves);
        for leaf in leaves {
            let name = match (&leaf.alias, leaf.written.last()) {
                (Some(alias), _) => alias.clone(),
                (None, Some(last)) if last != "self" => last.clone(),
                // `pub use a::b::{self}` exports `b`.
                (None, _) => match leaf.written.iter().rev().nth(1) {
                    Some(name) => name.clone(),
                    None => continue,
                },
            };
            found.push((name, absolute(file_module, &leaf.written)));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(code: &str, module: &[&str]) -> Vec<(usize, String)> {
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        absolute_paths(code, &module)
            .into_iter()
            .map(|(line, p)| (line, p.join("::")))
            .collect()
    }

    #[test]
    fn use_trees_are_expanded_into_absolute_paths() {
        let code = "use crate::k::{a, b::{c, self as bee}, *};\nuse super::x::{\n    y,\n};\n";
        assert_eq!(
            paths(code, &["k", "m"]),
            [
                (1, "k::a".to_string()),
                (1, "k::b::c".to_string()),
                (1, "k::b".to_string()),
                (1, "k".to_string()),
                (3, "k::x::y".to_string()),
            ]
        );
        // Expressions, `super::super`, `self::`; not `$crate`, not `a::self::`, not a
        // field named `crate_x`.
        let code = "f(crate::a::b::<T>(x));\nsuper::super::z();\nself::w::q;\n$crate::no;\n";
        assert_eq!(
            paths(code, &["p", "q"]),
            [
                (1, "a::b".to_string()),
                (2, "z".to_string()),
                (3, "p::q::w::q".to_string()),
            ]
        );
    }

    #[test]
    fn super_inside_an_inline_module_is_the_file_module() {
        let code = "mod tests {\n    use super::*;\n    mod deeper { use super::super::x; }\n}\nuse super::y;\n";
        assert_eq!(
            paths(code, &["k", "m"]),
            [
                (2, "k::m".to_string()),
                (3, "k::m::x".to_string()),
                (5, "k::y".to_string()),
            ]
        );
    }

    #[test]
    fn reexports_are_named_by_their_alias() {
        let module = ["k".to_string()];
        let found = reexports(
            "pub use a::{f, g as h};\npub(crate) use crate::e::E;\nuse private::P;\n",
            &module,
        );
        let found: Vec<(String, String)> =
            found.into_iter().map(|(n, p)| (n, p.join("::"))).collect();
        let expected = [("f", "k::a::f"), ("h", "k::a::g"), ("E", "e::E")];
        assert_eq!(found, expected.map(|(n, p)| (n.to_string(), p.to_string())));
    }
}
