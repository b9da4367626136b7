//! What a theme's template reads of a list of cards, found from its
//! syntax tree before anything is rendered.
//!
//! The catalog lists every pack's card. Handing tera 10,000 cards as
//! template values costs more memory than the rest of a build together,
//! yet the default theme prints nothing of a card but its rendered HTML.
//! When a template provably uses a list only that way, the list can be
//! rendered with short stand-ins and the cards spliced in after (see
//! `Renderer::catalog`). Any other use, or anything this walk does not
//! understand, answers "no", and the list is rendered from full values.
//!
//! Tera's syntax tree is public but hidden from its documentation; the
//! lock file pins the version this walk was written against.

use tera::ast::{Expr, ExprVal, Node};
use tera::Tera;

/// Whether rendering `template` (with its parents and the templates they
/// include) reads the list variable `list` only as `list | length` and as
/// `{% for card in list %}` loops whose body prints `{{ card.html | safe }}`
/// and reads nothing else of `card`.
pub fn list_prints_only_html(tera: &Tera, template: &str, list: &str) -> bool {
    let Ok(start) = tera.get_template(template) else {
        return false;
    };
    let mut names: Vec<&str> = vec![template];
    names.extend(start.parents.iter().map(String::as_str));
    let mut seen = std::collections::HashSet::new();
    while let Some(name) = names.pop() {
        if !seen.insert(name.to_string()) {
            continue;
        }
        let Ok(tpl) = tera.get_template(name) else {
            return false;
        };
        let mut walk = Walk {
            list,
            loop_var: None,
            includes: Vec::new(),
            ok: true,
        };
        walk.nodes(&tpl.ast, false);
        if !walk.ok {
            return false;
        }
        names.extend(walk.includes);
    }
    true
}

struct Walk<'t> {
    list: &'t str,
    /// Inside a loop over the list: the loop's variable.
    loop_var: Option<&'t str>,
    /// Templates included (outside such loops), to walk in turn.
    includes: Vec<&'t str>,
    ok: bool,
}

impl<'t> Walk<'t> {
    /// `filtered`: inside a `{% filter %}` section, which would rewrite
    /// stand-ins and cards differently.
    fn nodes(&mut self, nodes: &'t [Node], filtered: bool) {
        for node in nodes {
            if !self.ok {
                return;
            }
            self.node(node, filtered);
        }
    }

    fn node(&mut self, node: &'t Node, filtered: bool) {
        match node {
            Node::VariableBlock(_, expr) => {
                if !self.is_card_html(expr) {
                    self.expr(expr);
                }
            }
            Node::MacroDefinition(_, definition, _) => {
                // A macro sees only its arguments, checked where it is
                // called; its defaults are expressions of their own.
                for default in definition.args.values().flatten() {
                    self.expr(default);
                }
            }
            Node::Include(_, names, _) => {
                if self.loop_var.is_some() {
                    // An included template would see the loop's card.
                    self.ok = false;
                } else {
                    self.includes.extend(names.iter().map(String::as_str));
                }
            }
            Node::Set(_, set) => {
                if Some(set.key.as_str()) == self.loop_var {
                    self.ok = false;
                }
                self.expr(&set.value);
            }
            Node::FilterSection(_, section, _) => {
                self.call_args(section.filter.args.values());
                self.nodes(&section.body, true);
            }
            Node::Block(_, block, _) => self.nodes(&block.body, filtered),
            Node::Forloop(_, forloop, _) => {
                let over_list = is_ident(&forloop.container, self.list)
                    && forloop.container.filters.is_empty()
                    && !forloop.container.negated;
                if over_list {
                    if forloop.key.is_some() || filtered || self.loop_var.is_some() {
                        self.ok = false;
                        return;
                    }
                    self.loop_var = Some(&forloop.value);
                    self.nodes(&forloop.body, filtered);
                    self.loop_var = None;
                } else {
                    self.expr(&forloop.container);
                    let shadows = |name: Option<&str>| name.is_some() && name == self.loop_var;
                    if shadows(Some(&forloop.value)) || shadows(forloop.key.as_deref()) {
                        // Shadowing the card: too clever to follow.
                        self.ok = false;
                        return;
                    }
                    self.nodes(&forloop.body, filtered);
                }
                if let Some(empty) = &forloop.empty_body {
                    self.nodes(empty, filtered);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition);
                    self.nodes(body, filtered);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body, filtered);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }

    /// `{{ card.html | safe }}` inside a loop over the list.
    fn is_card_html(&self, expr: &Expr) -> bool {
        let Some(card) = self.loop_var else {
            return false;
        };
        let ExprVal::Ident(name) = &expr.val else {
            return false;
        };
        name.strip_prefix(card) == Some(".html")
            && !expr.negated
            && expr.filters.len() == 1
            && expr.filters[0].name == "safe"
            && expr.filters[0].args.is_empty()
    }

    fn expr(&mut self, expr: &'t Expr) {
        // `list | length` and whatever follows it read only a number.
        let counted = expr.filters.first().is_some_and(|f| f.name == "length");
        if !(counted && is_ident(expr, self.list)) {
            self.val(&expr.val);
        }
        for filter in &expr.filters {
            self.call_args(filter.args.values());
        }
    }

    fn call_args(&mut self, args: impl Iterator<Item = &'t Expr>) {
        for arg in args {
            self.expr(arg);
        }
    }

    fn val(&mut self, val: &'t ExprVal) {
        match val {
            ExprVal::Ident(name) => self.ident(name),
            ExprVal::Math(math) => {
                self.expr(&math.lhs);
                self.expr(&math.rhs);
            }
            ExprVal::Logic(logic) => {
                self.expr(&logic.lhs);
                self.expr(&logic.rhs);
            }
            ExprVal::In(within) => {
                self.expr(&within.lhs);
                self.expr(&within.rhs);
            }
            ExprVal::Test(test) => {
                self.ident(&test.ident);
                for arg in &test.args {
                    self.expr(arg);
                }
            }
            ExprVal::MacroCall(call) => self.call_args(call.args.values()),
            ExprVal::FunctionCall(call) => self.call_args(call.args.values()),
            ExprVal::Array(items) => {
                for item in items {
                    self.expr(item);
                }
            }
            ExprVal::StringConcat(concat) => {
                for value in &concat.values {
                    self.val(value);
                }
            }
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        }
    }

    /// Any other read of the list, or of the loop's card, or of the whole
    /// context, is one this walk cannot vouch for.
    fn ident(&mut self, name: &str) {
        let root = name.split(['.', '[']).next().unwrap_or(name);
        if root == self.list || Some(root) == self.loop_var || root == "__tera_context" {
            self.ok = false;
        }
    }
}

fn is_ident(expr: &Expr, name: &str) -> bool {
    matches!(&expr.val, ExprVal::Ident(n) if n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints_only_html(templates: &[(&str, &str)]) -> bool {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        list_prints_only_html(&tera, templates[0].0, "packs")
    }

    #[test]
    fn the_default_catalog_prints_only_the_cards_html() {
        let theme =
            crate::render::theme::Theme::load(std::path::Path::new("/nonexistent"), "default")
                .unwrap();
        assert!(list_prints_only_html(&theme.tera, "index.html", "packs"));
    }

    #[test]
    fn counting_and_printing_the_html_is_all_a_list_may_do() {
        assert!(prints_only_html(&[(
            "index.html",
            "{{ packs | length }} {% if packs | length > 1 %}s{% endif %}\
             {% for p in packs %}<li>{{ loop.index }}{{ p.html | safe }}</li>{% endfor %}\
             {% for p in packs %}{% for t in tags %}{{ t }}{% endfor %}{{ p.html | safe }}{% endfor %}"
        )]));
    }

    #[test]
    fn reading_anything_else_of_a_card_or_the_list_is_refused() {
        for body in [
            "{% for p in packs %}{{ p.title }}{% endfor %}",
            "{% for p in packs %}{{ p.html }}{% endfor %}",
            "{% for p in packs %}{{ p.html | safe | upper }}{% endfor %}",
            "{% for p in packs %}{% if p.draft %}d{% endif %}{{ p.html | safe }}{% endfor %}",
            "{% for p in packs | reverse %}{{ p.html | safe }}{% endfor %}",
            "{% for p in packs %}{% include \"x.html\" %}{% endfor %}",
            "{% for i, p in packs %}{{ p.html | safe }}{% endfor %}",
            "{{ packs | first }}",
            "{{ packs.0.title }}",
            "{% set all = packs %}",
            "{{ m::card(pack=packs) }}",
            "{% filter upper %}{% for p in packs %}{{ p.html | safe }}{% endfor %}{% endfilter %}",
            "{{ __tera_context }}",
            "{% if packs is defined %}x{% endif %}",
            "{% for p in packs %}{% for p in tags %}{{ p.name }}{% endfor %}{% endfor %}",
        ] {
            assert!(
                !prints_only_html(&[("index.html", body), ("x.html", "")]),
                "{body}"
            );
        }
    }

    #[test]
    fn parents_and_included_templates_are_read_too() {
        assert!(!prints_only_html(&[
            (
                "index.html",
                "{% extends \"base.html\" %}{% block b %}{% endblock b %}"
            ),
            (
                "base.html",
                "{{ packs.0.title }}{% block b %}{% endblock b %}"
            ),
        ]));
        assert!(!prints_only_html(&[
            ("index.html", "{% include \"x.html\" %}"),
            ("x.html", "{% for p in packs %}{{ p.url }}{% endfor %}"),
        ]));
        assert!(prints_only_html(&[
            (
                "index.html",
                "{% extends \"base.html\" %}{% block b %}{{ packs | length }}{% endblock b %}"
            ),
            (
                "base.html",
                "{% include \"x.html\" %}{% block b %}{% endblock b %}"
            ),
            (
                "x.html",
                "{% for p in packs %}{{ p.html | safe }}{% endfor %}"
            ),
        ]));
    }
}
