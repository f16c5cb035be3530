"""The document model: bytes to decoded text, front matter, Markdown and HTML with exact offsets."""
