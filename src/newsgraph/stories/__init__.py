"""Stories: articles about the same real-world story, in any language, share a `Document.story` id.

A corpus-wide pass after entity resolution: `assign_stories(docs, index)` with a `StoryIndex` that
persists through `to_data()` / `StoryIndex.from_data()`.
"""

from newsgraph.stories.group import Story, StoryIndex, StoryParams, assign_stories

__all__ = ["Story", "StoryIndex", "StoryParams", "assign_stories"]
