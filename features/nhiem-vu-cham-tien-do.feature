# language: vi
Tính năng: Quy tắc nhiem-vu-cham-tien-do: qua mốc kiểm tra mà chưa có báo cáo
  Thời hạn hai quý ("Quý III, IV/2026") đến hết quý sau, nhưng tiến độ phải có từ cuối
  quý đầu (30/9): qua mốc đó mà chưa có báo cáo nào thì nhắc.

  Bối cảnh:
    Cho kế hoạch năm 2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ        | Đơn vị chủ trì  | Thời gian thực hiện |
      | 11 | Kiểm tra VBQPPL | Văn phòng HĐND - UBND xã | Quý III, IV/2026 |

  Kịch bản: Qua 30/9 chưa có báo cáo thì nhắc
    Cho ngày kiểm tra là 22/11/2026
    Khi kiểm tra theo quy tắc "nhiem-vu-cham-tien-do"
    Thì có phát hiện vi phạm cho nhiệm vụ "11"
    Và giá trị "checkpoint" là 30/09/2026

  Kịch bản: Đúng ngày mốc thì chưa nhắc
    Cho ngày kiểm tra là 30/09/2026
    Khi kiểm tra theo quy tắc "nhiem-vu-cham-tien-do"
    Thì không có phát hiện nào

  Kịch bản: Đã có báo cáo tiến độ thì không nhắc
    Cho ngày kiểm tra là 22/11/2026
    Và các báo cáo tiến độ:
      | TT | Tình trạng     | Ngày báo cáo |
      | 11 | đang thực hiện | 28/09/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-cham-tien-do"
    Thì không có phát hiện nào
