-- Each Markdown table in a block of class `table-wrap`, which scrolls on its own on a narrow
-- screen (reports/styles.css). Listed in _quarto.yml: Quarto and the fallback both run it.
function Table(table)
  return pandoc.Div({table}, pandoc.Attr("", {"table-wrap"}))
end
