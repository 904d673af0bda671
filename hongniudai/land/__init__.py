"""土地流转 (land): see issue 16."""
