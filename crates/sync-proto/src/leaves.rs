//! The leaves rule. A document's leaves are its revisions that nothing descends from. A new
//! revision replaces the leaves it names as parents and becomes a leaf itself; more than one
//! leaf afterwards means two PCs edited concurrently (冲突). Nothing is ever dropped: a merge
//! revision that names every leaf as a parent brings the count back to one.

/// The leaves after `rev` (with `parents`) joins `leaves`. Idempotent: a revision already among
/// the leaves changes nothing.
pub fn advance_leaves(leaves: &[String], rev: &str, parents: &[String]) -> Vec<String> {
    if leaves.iter().any(|l| l == rev) {
        return leaves.to_vec();
    }
    let mut out: Vec<String> = leaves
        .iter()
        .filter(|l| !parents.contains(l))
        .cloned()
        .collect();
    out.push(rev.to_string());
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_child_of_the_only_leaf_fast_forwards() {
        assert_eq!(advance_leaves(&s(&["a"]), "b", &s(&["a"])), s(&["b"]));
    }

    #[test]
    fn two_children_of_one_parent_are_two_leaves() {
        let l = advance_leaves(&s(&["a"]), "b", &s(&["a"]));
        let l = advance_leaves(&l, "c", &s(&["a"]));
        assert_eq!(l, s(&["b", "c"]));
        let merged = advance_leaves(&l, "m", &s(&["c", "b"]));
        assert_eq!(merged, s(&["m"]));
    }

    #[test]
    fn a_first_revision_is_a_leaf_and_a_repeat_changes_nothing() {
        let l = advance_leaves(&[], "a", &[]);
        assert_eq!(l, s(&["a"]));
        assert_eq!(advance_leaves(&l, "a", &[]), l);
    }
}
