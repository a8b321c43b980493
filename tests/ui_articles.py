"""Articles the chat UI tests index, written for these tests (never copied from ../shared).

Each exercises one thing: escaping (XSS_ARTICLE), an upload (UPLOAD_ARTICLE), Markdown shown as
text with its quote still marked (MARKDOWN_ARTICLE), deletion from the library (DELETED_ARTICLE).
"""

from __future__ import annotations

XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1">'
XSS_ARTICLE = f"""Harbor Lights Festival {XSS}
Date: 2017-10-02
Source: Quayside Bulletin

The Harbor Lights Festival drew record crowds to the quayside on Sunday, organisers said. {XSS}

Visitors watched the lantern parade and the fireworks over the breakwater.
"""

UPLOAD_ARTICLE = """Glimmerfin Lake Reopens to Swimmers After Copper-Algae Bloom
Date: 2017-10-20
Source: Valley Ripple Gazette

Council ecologist Marta Kellingsworth said the copper-coloured algae bloom in Glimmerfin Lake was cleared by releasing 40,000 freshwater mussels into the water.

The town council of Ostrava Vale reopened the lake to swimmers on Thursday after a three-week closure.
"""

# Markdown as people write it: headings, bold, a link, a list.  The quoted sentence has markup
# inside it, so a viewer that shows the raw text or highlights the wrong span is caught.
MARKDOWN_ARTICLE = """# Quillmoor Observatory Finds a Third Moon Around Kessel-9

Date: 2017-10-11
Source: Starward Dispatch

## What was found

Astronomers at the **Quillmoor Observatory** said the third moon of Kessel-9 is *about 40 kilometres* across and circles the planet every **nine days**.

The team, led by [Dr. Ilse Varnhagen](https://example.org/varnhagen), spotted it on plates taken over **three winters**.

## What comes next

- A second telescope will confirm the orbit in November.
- The moon will be named by a public vote.
"""
MARKDOWN_QUESTION = "How large is the third moon of Kessel-9?"
MARKDOWN_QUOTE_SHOWN = (
    "Astronomers at the Quillmoor Observatory said the third moon of Kessel-9 is about 40 kilometres across "
    "and circles the planet every nine days."
)

DELETED_ARTICLE = """Larkspur Valley Railway Reopens With Steam Trains Every Saturday
Date: 2017-09-09
Source: Upland Courier

The Larkspur Valley Railway reopened on Saturday after volunteers rebuilt the Tarrow viaduct, and steam trains will now run between Ambleford and Coldhithe every Saturday.

Volunteer engineer Petra Oakensholt said the viaduct repairs took four years and used 12,000 reclaimed bricks.
"""
DELETED_QUESTION = "How many reclaimed bricks did the Tarrow viaduct repairs use?"
DELETED_TITLE = "Larkspur Valley Railway Reopens With Steam Trains Every Saturday"
